/**
 * Which files of lib/ must run for their effects (the ops that install methods on
 * Value.prototype, the index that imports them), read off the sources with the TypeScript
 * parser, and the package.json `sideEffects` list that follows (each file in dist/esm and
 * dist/cjs). Bundlers drop every other file that an app does not use.
 *
 *   node scripts/side-effects.js           prints the files and why, and the list
 *   node scripts/side-effects.js --write   writes the list into package.json
 *
 * spec/package/side-effects.spec.ts fails when package.json and the sources disagree.
 *
 * A top-level statement has an effect unless it is an import with bindings, an export of
 * declarations, a declaration of a function, class (without static blocks or impure static
 * initialisers), interface, type or enum, or a variable whose initialiser is pure: literals,
 * functions, object and array literals of pure parts, `Symbol.for`, `Object.freeze`, `new
 * Set/Map`, arithmetic on those, calls marked `/* @__PURE__ *\/`, and calls to the factories in
 * PURE_CALLEES (they only build and return a value).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const PURE_CALLEES = new Set(['Symbol', 'Symbol.for', 'Object.freeze', 'extremumRule', 'customOp']);
const PURE_CONSTRUCTORS = new Set(['Set', 'Map', 'WeakMap', 'WeakSet', 'Error', 'TypeError', 'RangeError']);

function calleeName(node) {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression))
    return `${node.expression.text}.${node.name.text}`;
  return '';
}

function markedPure(node, sourceFile) {
  // The comments between the previous token and the call.
  return /\/\*\s*[@#]__PURE__\s*\*\//.test(sourceFile.text.slice(node.pos, node.getStart(sourceFile)));
}

function isPure(node, sourceFile) {
  if (node === undefined) return true;
  if (
    ts.isLiteralExpression(node) ||
    ts.isIdentifier(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  )
    return true;
  switch (node.kind) {
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.ClassExpression:
      return true;
  }
  if (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isTypeAssertionExpression(node)
  ) {
    return isPure(node.expression, sourceFile);
  }
  if (ts.isPrefixUnaryExpression(node)) return isPure(node.operand, sourceFile);
  if (ts.isBinaryExpression(node))
    return (
      node.operatorToken.kind !== ts.SyntaxKind.EqualsToken &&
      isPure(node.left, sourceFile) &&
      isPure(node.right, sourceFile)
    );
  if (ts.isConditionalExpression(node))
    return [node.condition, node.whenTrue, node.whenFalse].every((n) => isPure(n, sourceFile));
  if (ts.isTemplateExpression(node)) return node.templateSpans.every((s) => isPure(s.expression, sourceFile));
  if (ts.isPropertyAccessExpression(node)) return isPure(node.expression, sourceFile);
  if (ts.isArrayLiteralExpression(node))
    return node.elements.every((e) => isPure(ts.isSpreadElement(e) ? e.expression : e, sourceFile));
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every((p) =>
      ts.isPropertyAssignment(p)
        ? isPure(p.initializer, sourceFile) &&
          (!ts.isComputedPropertyName(p.name) || isPure(p.name.expression, sourceFile))
        : ts.isSpreadAssignment(p)
          ? isPure(p.expression, sourceFile)
          : true,
    );
  }
  if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
    const pureCallee = ts.isCallExpression(node)
      ? PURE_CALLEES.has(calleeName(node.expression))
      : PURE_CONSTRUCTORS.has(calleeName(node.expression));
    return (pureCallee || markedPure(node, sourceFile)) && (node.arguments ?? []).every((a) => isPure(a, sourceFile));
  }
  return false;
}

/** Why `statement` has an effect when the module is loaded, or '' if it has none. */
function effectOf(statement, sourceFile) {
  const text = () => statement.getText(sourceFile).split('\n')[0].slice(0, 80);
  if (ts.isImportDeclaration(statement))
    return statement.importClause ? '' : `imports ${statement.moduleSpecifier.getText(sourceFile)} for its effects`;
  if (ts.isExportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) return '';
  if (
    ts.isFunctionDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    ts.isEnumDeclaration(statement) ||
    ts.isModuleDeclaration(statement) ||
    ts.isEmptyStatement(statement)
  )
    return '';
  if (ts.isClassDeclaration(statement)) {
    const impure = statement.members.some(
      (m) =>
        ts.isClassStaticBlockDeclaration(m) ||
        (ts.isPropertyDeclaration(m) &&
          m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) &&
          !isPure(m.initializer, sourceFile)),
    );
    return impure ? `class with a static block or static initialiser: ${text()}` : '';
  }
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.every((d) => isPure(d.initializer, sourceFile))
      ? ''
      : `runs code: ${text()}`;
  }
  if (ts.isExportAssignment(statement)) return isPure(statement.expression, sourceFile) ? '' : `runs code: ${text()}`;
  return `runs code: ${text()}`;
}

/** Every lib/ file (relative, without .ts) with its first top-level effect, in sorted order. */
function filesWithEffects(libDir = path.join(root, 'lib')) {
  const files = fs
    .readdirSync(libDir, { recursive: true })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
  const found = [];
  for (const file of files) {
    const sourceFile = ts.createSourceFile(
      file,
      fs.readFileSync(path.join(libDir, file), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    for (const statement of sourceFile.statements) {
      const why = effectOf(statement, sourceFile);
      if (why) {
        found.push({ file: file.replace(/\\/g, '/').replace(/\.ts$/, ''), why });
        break;
      }
    }
  }
  return found;
}

/** The `sideEffects` list for package.json: each file with effects, in both builds. */
function sideEffectsList(libDir) {
  const files = filesWithEffects(libDir).map((f) => f.file);
  return ['esm', 'cjs'].flatMap((build) => files.map((f) => `./dist/${build}/${f}.js`));
}

module.exports = { filesWithEffects, sideEffectsList, effectOf };

if (require.main === module) {
  for (const { file, why } of filesWithEffects()) console.log(`lib/${file}.ts: ${why}`);
  const list = sideEffectsList();
  if (process.argv.includes('--write')) {
    const file = path.join(root, 'package.json');
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    pkg.sideEffects = list;
    fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    console.log(`package.json: sideEffects has ${list.length} entries`);
  } else {
    console.log(JSON.stringify(list, null, 2));
  }
}
