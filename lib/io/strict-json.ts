/**
 * A strict JSON reader for headers of files from elsewhere (safetensors). `JSON.parse` keeps
 * the last of two equal keys without a word and turns `1e999` into Infinity; this reader
 * refuses both, refuses `__proto__` keys, bounds the nesting depth, and returns objects as
 * `Map`s, so no key of the file ever meets an object prototype.
 */

/** A JSON value as this reader returns it: objects are Maps, in file order. */
export type JsonValue = null | boolean | number | string | JsonValue[] | Map<string, JsonValue>;

/** Why a text is refused, with the character offset where the reader stopped. */
export class StrictJsonError extends Error {}

const MAX_DEPTH = 8;

/**
 * Parses `text` as one JSON value (surrounding whitespace allowed). Throws a StrictJsonError
 * for invalid JSON, a duplicate or `__proto__` key, a number that is not finite as a double,
 * or nesting deeper than 8.
 *
 * @example
 * (parseStrictJson('{"a": [1, 2]}') as Map<string, unknown>).get('a');   // [1, 2]
 */
export function parseStrictJson(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new StrictJsonError(`${what} at character ${i}`);
  };
  const skip = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const expect = (c: string): void => {
    if (text[i] !== c) fail(`expected '${c}'${i < text.length ? ` but found '${text[i]}'` : ' but the text ended'}`);
    i++;
  };
  const string = (): string => {
    const start = i;
    expect('"');
    // Scan to the closing quote, stepping over escapes, then let JSON.parse decode the escapes.
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i);
      if (code < 0x20) fail('a control character inside a string');
      i += text[i] === '\\' ? 2 : 1;
    }
    expect('"');
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('an invalid escape in a string');
    }
  };
  const number = (): number => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (match === null) return fail('an invalid value');
    i += match[0].length;
    const value = Number(match[0]);
    if (!Number.isFinite(value)) fail(`the number ${match[0]}, which is not finite as a double,`);
    return value;
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map<string, JsonValue>();
      skip();
      if (text[i] === '}') {
        i++;
        return map;
      }
      for (;;) {
        skip();
        const at = i;
        const key = string();
        if (key === '__proto__') {
          i = at;
          fail("the key '__proto__'");
        }
        if (map.has(key)) {
          i = at;
          fail(`a second key ${JSON.stringify(key)}`);
        }
        skip();
        expect(':');
        map.set(key, value(depth + 1));
        skip();
        if (text[i] !== ',') break;
        i++;
      }
      expect('}');
      return map;
    }
    if (c === '[') {
      i++;
      const list: JsonValue[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return list;
      }
      for (;;) {
        list.push(value(depth + 1));
        skip();
        if (text[i] !== ',') break;
        i++;
      }
      expect(']');
      return list;
    }
    if (c === '"') return string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return number();
  };
  const result = value(0);
  skip();
  if (i < text.length) fail('text after the end of the value');
  return result;
}
