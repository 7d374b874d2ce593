/**
 * The Markdown side of spec/readme.spec.ts: finds the ```ts blocks of a page and turns every
 * stated result (`expression; // value`) into a checked call, reporting any it cannot check.
 */
import * as ts from 'typescript';

/** One ```ts block: the page, the line of its first code line (1-based) and its code. */
export interface DocBlock {
  file: string;
  line: number;
  code: string;
}

/** The blocks of a page, plus the fences in languages the runner refuses to skip silently. */
export interface PageBlocks {
  blocks: DocBlock[];
  /** Opening fences of ```ts blocks, counted separately from the parse (they must agree). */
  tsFences: number;
  /** `file:line lang` for every block in a JavaScript-like language other than `ts`. */
  unrunnable: string[];
}

const RUNNABLE_ELSEWHERE = new Set(['js', 'javascript', 'typescript', 'tsx', 'jsx', 'mjs', 'cjs']);

/** A closing fence: the opening fence's character, at least as many, nothing after. */
function closes(text: string, fence: string): boolean {
  const end = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
  return end !== null && end[1][0] === fence[0] && end[1].length >= fence.length;
}

/** Splits a Markdown page into fenced blocks; throws on a fence that is never closed. */
export function codeBlocks(file: string, markdown: string): PageBlocks {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  const unrunnable: string[] = [];
  let open: { fence: string; lang: string; line: number; body: string[] } | undefined;
  lines.forEach((text, i) => {
    if (open === undefined) {
      const start = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/.exec(text);
      if (start) open = { fence: start[1], lang: start[2].toLowerCase(), line: i + 1, body: [] };
    } else if (closes(text, open.fence)) {
      if (open.lang === 'ts') blocks.push({ file, line: open.line + 1, code: open.body.join('\n') });
      else if (RUNNABLE_ELSEWHERE.has(open.lang)) unrunnable.push(`${file}:${open.line} ${open.lang}`);
      open = undefined;
    } else {
      open.body.push(text);
    }
  });
  if (open !== undefined) throw new Error(`${file}:${open.line}: a code fence is never closed.`);
  const tsFences = lines.filter((text) => /^ {0,3}```ts\s*$/.test(text)).length;
  return { blocks, tsFences, unrunnable };
}

/** A block rewritten to check its stated results, as CommonJS for an async function body. */
export interface InstrumentedBlock {
  js: string;
  /** How many stated results the rewritten code checks. */
  checks: number;
  /** `file:line: statement // comment` for each bare expression whose comment is not a value. */
  unchecked: string[];
}

/** True when `text` is one JavaScript/TypeScript expression (so a comment can be a result). */
function isExpression(text: string): boolean {
  const output = ts.transpileModule(`(\n${text}\n);`, { reportDiagnostics: true });
  return (output.diagnostics ?? []).length === 0;
}

function isAssignment(expression: ts.Expression): boolean {
  return (
    ts.isBinaryExpression(expression) &&
    expression.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    expression.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

/** A statement done for its effect (a call, `new`, `await`, `++`...): its comment is a remark. */
function hasEffect(expression: ts.Expression): boolean {
  return (
    ts.isCallExpression(expression) ||
    ts.isNewExpression(expression) ||
    ts.isAwaitExpression(expression) ||
    ts.isDeleteExpression(expression) ||
    ts.isVoidExpression(expression) ||
    ts.isPrefixUnaryExpression(expression) ||
    ts.isPostfixUnaryExpression(expression)
  );
}

/**
 * Rewrites every expression statement followed by `// <a JavaScript expression>` into
 * `__check(source, actual, expected)`. Assignments and calls may carry prose remarks; a bare
 * expression (`x.grad; // ...`) states a result, so a remark there is reported as unchecked.
 */
export function instrument(block: DocBlock): InstrumentedBlock {
  const source = ts.createSourceFile('block.ts', block.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const unchecked: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      const comment = ts
        .getTrailingCommentRanges(block.code, node.end)
        ?.find((range) => range.kind === ts.SyntaxKind.SingleLineCommentTrivia);
      const stated = comment === undefined ? '' : block.code.slice(comment.pos + 2, comment.end).trim();
      const actual = node.expression.getText(source);
      if (stated !== '' && !isAssignment(node.expression)) {
        if (isExpression(stated)) {
          const text = `__check(${JSON.stringify(actual)}, (${actual}), (${stated}));`;
          edits.push({ start: node.getStart(source), end: node.end, text });
          return;
        }
        if (!hasEffect(node.expression)) {
          const line = block.line + source.getLineAndCharacterOfPosition(node.getStart(source)).line;
          unchecked.push(`${block.file}:${line}: ${actual}; // ${stated}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let code = block.code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  }
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  return { js: outputText, checks: edits.length, unchecked };
}
