// Positions for lint findings: one scan of a (valid) JSON document into a tree of members with the
// 1-based line/column of each key (object members) or value (array elements). Built only when a
// finding needs a position, so the common no-finding keystroke pays nothing.
// A second scanner beside json.ts on purpose: json.ts records no per-member positions.

import type { SourcePosition } from './types.js';

export type PathSegment = string | number;

interface Node {
  /** The member's key (object members) or the value (array elements, the root). */
  at: SourcePosition;
  /** The value itself. */
  valueAt?: SourcePosition;
  children?: Map<PathSegment, Node>;
  isArray?: boolean;
}

export interface Locator {
  /** Position of the deepest existing node along `path` (the root when nothing matches). */
  find(path: readonly PathSegment[]): SourcePosition;
  /** Whether the value at `path` is an array. */
  isArray(path: readonly PathSegment[]): boolean;
}

export function createLocator(text: string): Locator {
  let root: Node | undefined;
  const tree = (): Node => (root ??= scan(text));
  const find = (path: readonly PathSegment[]): SourcePosition => {
    let node = tree();
    for (const seg of path) {
      const next = node.children?.get(seg);
      if (!next) {
        // `Action[0]` of `"Action": "ses:X"`: the single value stands for its one-element list.
        if (typeof seg === 'number' && !node.children) return node.valueAt ?? node.at;
        break;
      }
      node = next;
    }
    return node.at;
  };
  return {
    find,
    isArray: (path) => {
      let node: Node | undefined = tree();
      for (const seg of path) node = node?.children?.get(seg);
      return node?.isArray === true;
    },
  };
}

/** `Statement[0].Condition["a/b"].x` -> segments; the inverse of json.ts's formatJsonPath. */
export function parseJsonPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      if (path[i + 1] === '"') {
        // JSON string up to the closing quote that is not escaped.
        let j = i + 2;
        while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1;
        try {
          out.push(JSON.parse(path.slice(i + 1, j + 1)) as string);
        } catch {
          return out;
        }
        i = j + 2;
      } else {
        const j = path.indexOf(']', i);
        if (j < 0) return out;
        out.push(Number(path.slice(i + 1, j)));
        i = j + 1;
      }
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    out.push(path.slice(i, j));
    i = j;
  }
  return out;
}

function scan(s: string): Node {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (): SourcePosition => ({ line, column: i - lineStart + 1 });
  const ws = (): void => {
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x0a) {
        i++;
        line++;
        lineStart = i;
      } else if (c === 0x0d) {
        i++;
        if (s.charCodeAt(i) !== 0x0a) {
          line++;
          lineStart = i;
        }
      } else if (c === 0x20 || c === 0x09) i++;
      else return;
    }
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < s.length && s.charCodeAt(i) !== 0x22) i += s.charCodeAt(i) === 0x5c ? 2 : 1;
    i++;
    try {
      return JSON.parse(s.slice(start, i)) as string;
    } catch {
      return s.slice(start + 1, i - 1);
    }
  };
  const value = (node: Node): void => {
    node.valueAt = pos();
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      str();
      return;
    }
    if (c === 0x7b || c === 0x5b) {
      const isArray = c === 0x5b;
      const children = new Map<PathSegment, Node>();
      node.children = children;
      if (isArray) node.isArray = true;
      i++;
      ws();
      let n = 0;
      while (i < s.length && s.charCodeAt(i) !== (isArray ? 0x5d : 0x7d)) {
        const child: Node = { at: pos() };
        let key: PathSegment = n++;
        if (!isArray) {
          key = str();
          ws();
          i++; // ':'
          ws();
        }
        value(child);
        if (!children.has(key)) children.set(key, child);
        ws();
        if (s.charCodeAt(i) === 0x2c) i++;
        ws();
      }
      i++;
      return;
    }
    skipScalar();
  };
  const skipScalar = (): void => {
    while (i < s.length && !/[,\]}\s]/.test(s[i] as string)) i++;
  };
  ws();
  const root: Node = { at: pos() };
  value(root);
  return root;
}
