#!/usr/bin/env node
/**
 * Summarises a StrykerJS JSON report (reports/mutation/<folder>.json): the counts per status,
 * the mutation score (killed + timeout over all valid mutants, as Stryker computes it), and
 * every mutant that survived or had no coverage, with its place and replacement.
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
const open = [];
for (const [name, { mutants }] of Object.entries(report.files)) {
  for (const m of mutants) {
    counts[m.status] = (counts[m.status] ?? 0) + 1;
    if (m.status === 'Survived' || m.status === 'NoCoverage') {
      open.push(
        `${name}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement)}`,
      );
    }
  }
}
const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
console.log(JSON.stringify(counts));
console.log(`score ${((100 * detected) / valid).toFixed(2)}% (${detected}/${valid})`);
for (const line of open) console.log(line);
