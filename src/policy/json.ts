// A small strict JSON parser (RFC 8259) for policy documents. Unlike JSON.parse it never throws,
// reports duplicate object keys (JSON.parse silently keeps the last one, which can drop a whole
// Condition block and widen access) and remembers where each statement object sits in the text.
// One pass over the input, no backtracking: linear time.

import type { SourcePosition, SourceRange } from './types.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface DuplicateKey {
  /** Path of the object holding the key, e.g. `Statement[0].Condition` (`''` for the root). */
  path: string;
  key: string;
}

export interface JsonSyntaxError {
  message: string;
  /** Where parsing stopped (1-based). */
  position: SourcePosition;
}

export type JsonParseResult =
  | {
      ok: true;
      value: JsonValue;
      duplicates: DuplicateKey[];
      /**
       * Ranges of the statement objects: the root's `Statement` value when it is an object, else
       * each object element of the root's `Statement` array, indexed like the array (holes for
       * non-object elements). `end` is the closing brace (inclusive).
       */
      statementRanges: (SourceRange | undefined)[];
    }
  | { ok: false; error: JsonSyntaxError };

/** Deeper nesting is refused rather than risking the call stack (a policy needs about 6). */
export const MAX_JSON_DEPTH = 256;

type PathSegment = string | number;

class JsonFailure {
  constructor(
    readonly message: string,
    readonly index: number,
  ) {}
}

/** Formats a path such as `Statement[0].Condition["a.b"]`. */
export function formatJsonPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$:-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function parseJson(text: string): JsonParseResult {
  const p = new Parser(text);
  try {
    p.skipWs();
    const value = p.parseValue(0);
    p.skipWs();
    if (p.i < text.length) throw new JsonFailure('Unexpected data after the JSON value', p.i);
    return { ok: true, value, duplicates: p.duplicates, statementRanges: p.statementRanges };
  } catch (err) {
    if (err instanceof JsonFailure)
      return { ok: false, error: { message: err.message, position: p.positionOf(err.index) } };
    // Defensive: nothing above should throw anything else, but this function must never throw.
    return { ok: false, error: { message: 'Invalid JSON', position: p.positionOf(p.i) } };
  }
}

class Parser {
  i = 0;
  /** Line bookkeeping: newlines can only occur in whitespace (raw control characters are invalid in strings). */
  private line = 1;
  private lineStart = 0;
  private lineStarts: number[] = [0];
  readonly duplicates: DuplicateKey[] = [];
  readonly statementRanges: (SourceRange | undefined)[] = [];
  private readonly path: PathSegment[] = [];

  constructor(private readonly s: string) {}

  positionOf(index: number): SourcePosition {
    // Errors can sit past the last newline we counted; find the line by binary search.
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - (this.lineStarts[lo] ?? 0) + 1 };
  }

  private here(): SourcePosition {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  skipWs(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09) this.i++;
      else if (c === 0x0a || (c === 0x0d && s.charCodeAt(this.i + 1) !== 0x0a)) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
        this.lineStarts.push(this.i);
      } else if (c === 0x0d) this.i++;
      else return;
    }
  }

  parseValue(depth: number): JsonValue {
    if (depth > MAX_JSON_DEPTH) throw new JsonFailure('JSON nested too deeply', this.i);
    const c = this.s.charCodeAt(this.i);
    switch (c) {
      case 0x7b /* { */:
        return this.parseObject(depth);
      case 0x5b /* [ */:
        return this.parseArray(depth);
      case 0x22 /* " */:
        return this.parseString();
      case 0x74 /* t */:
        return this.literal('true', true);
      case 0x66 /* f */:
        return this.literal('false', false);
      case 0x6e /* n */:
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        throw new JsonFailure(
          Number.isNaN(c)
            ? 'Unexpected end of input'
            : `Unexpected character ${JSON.stringify(this.s[this.i])}`,
          this.i,
        );
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.s.startsWith(word, this.i)) throw new JsonFailure('Invalid literal', this.i);
    this.i += word.length;
    return value;
  }

  /** Statement objects are the root's `Statement` value or its array elements (path depth 1 or 2). */
  private isStatementPath(): boolean {
    const p = this.path;
    return p[0] === 'Statement' && (p.length === 1 || (p.length === 2 && typeof p[1] === 'number'));
  }

  private parseObject(depth: number): { [key: string]: JsonValue } {
    const start = this.here();
    const trackRange = this.isStatementPath();
    // Null prototype: a key like "__proto__" must be an ordinary key, never a prototype change.
    const obj = Object.create(null) as { [key: string]: JsonValue };
    this.i++;
    this.skipWs();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
    } else {
      for (;;) {
        if (this.s.charCodeAt(this.i) !== 0x22) throw new JsonFailure('Expected a string key', this.i);
        const key = this.parseString();
        this.skipWs();
        if (this.s.charCodeAt(this.i) !== 0x3a) throw new JsonFailure("Expected ':' after key", this.i);
        this.i++;
        this.skipWs();
        this.path.push(key);
        const value = this.parseValue(depth + 1);
        this.path.pop();
        if (Object.prototype.hasOwnProperty.call(obj, key))
          this.duplicates.push({ path: formatJsonPath(this.path), key });
        obj[key] = value;
        this.skipWs();
        const c = this.s.charCodeAt(this.i);
        if (c === 0x2c) {
          this.i++;
          this.skipWs();
        } else if (c === 0x7d) {
          this.i++;
          break;
        } else throw new JsonFailure("Expected ',' or '}'", this.i);
      }
    }
    if (trackRange) {
      const end = { line: this.line, column: this.i - this.lineStart };
      const idx = this.path.length === 2 ? (this.path[1] as number) : 0;
      this.statementRanges[idx] = { start, end };
    }
    return obj;
  }

  private parseArray(depth: number): JsonValue[] {
    const arr: JsonValue[] = [];
    this.i++;
    this.skipWs();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return arr;
    }
    for (;;) {
      this.path.push(arr.length);
      arr.push(this.parseValue(depth + 1));
      this.path.pop();
      this.skipWs();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.skipWs();
      } else if (c === 0x5d) {
        this.i++;
        return arr;
      } else throw new JsonFailure("Expected ',' or ']'", this.i);
    }
  }

  private parseString(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = '';
    let chunkStart = this.i;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(chunkStart, this.i);
        this.i++;
        return out;
      }
      if (Number.isNaN(c)) throw new JsonFailure('Unterminated string', this.i);
      if (c < 0x20) throw new JsonFailure('Control character in string', this.i);
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(chunkStart, this.i);
      const e = s[this.i + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = s.slice(this.i + 2, this.i + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new JsonFailure('Invalid \\u escape', this.i);
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 4;
          break;
        }
        default:
          throw new JsonFailure('Invalid escape', this.i);
      }
      this.i += 2;
      chunkStart = this.i;
    }
  }

  private parseNumber(): number {
    const start = this.i;
    const s = this.s;
    const digits = (): number => {
      const from = this.i;
      while (s.charCodeAt(this.i) >= 0x30 && s.charCodeAt(this.i) <= 0x39) this.i++;
      return this.i - from;
    };
    if (s.charCodeAt(this.i) === 0x2d) this.i++;
    if (s.charCodeAt(this.i) === 0x30)
      this.i++; // a leading zero stands alone
    else if (digits() === 0) throw new JsonFailure('Invalid number', this.i);
    if (s.charCodeAt(this.i) === 0x2e) {
      this.i++;
      if (digits() === 0) throw new JsonFailure('Invalid number', this.i);
    }
    const c = s.charCodeAt(this.i);
    if (c === 0x65 || c === 0x45) {
      this.i++;
      const sign = s.charCodeAt(this.i);
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (digits() === 0) throw new JsonFailure('Invalid number', this.i);
    }
    return Number(s.slice(start, this.i));
  }
}
