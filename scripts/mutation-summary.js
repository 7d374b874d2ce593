#!/usr/bin/env node
/**
 * Summarises a StrykerJS JSON report (reports/mutation/<folder>.json): the counts per status
 * and the mutation score (killed + timeout over all valid mutants, as Stryker computes it),
 * for the whole report and for each file, then every mutant that survived or had no coverage,
 * with its place and replacement.
 * Usage: node scripts/mutation-summary.js reports/mutation/ops.json
 */
const fs = require('fs');

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/mutation-summary.js <stryker json report>');
  process.exit(2);
}
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const counts = {};
const perFile = {};
const open = [];
for (const [name, { mutants }] of Object.entries(report.files)) {
  const own = (perFile[name] = {});
  for (const m of mutants) {
    counts[m.status] = (counts[m.status] ?? 0) + 1;
    own[m.status] = (own[m.status] ?? 0) + 1;
    if (m.status === 'Survived' || m.status === 'NoCoverage') {
      open.push(
        `${name}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement)}`,
      );
    }
  }
}
/** `score 97.50% (39/40)`: killed + timeout over killed + timeout + survived + no coverage. */
function score(c) {
  const detected = (c.Killed ?? 0) + (c.Timeout ?? 0);
  const valid = detected + (c.Survived ?? 0) + (c.NoCoverage ?? 0);
  return `score ${((100 * detected) / valid).toFixed(2)}% (${detected}/${valid})`;
}
console.log(JSON.stringify(counts));
console.log(score(counts));
for (const [name, c] of Object.entries(perFile)) console.log(`${name}: ${score(c)} ${JSON.stringify(c)}`);
for (const line of open) console.log(line);
