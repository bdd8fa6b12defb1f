// Policy variables (docs/spec/iam.md §3.7): `${key}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`. Only
// under Version 2012-10-17 (the caller decides). Substituted text is literal: a `*` in a user name
// is not a wildcard, so a template resolves to text plus a wildcard mask.

import { LITERAL, maskOf } from './glob.js';
import type { RequestContext } from './request.js';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'var'; key: string; fallback?: string };

export interface Template {
  /** The source string. */
  source: string;
  parts: TemplatePart[];
  /** Lower-cased keys referenced, for missing-key reports. */
  keys: string[];
}

const VARIABLE_BODY = /^\s*([^\s,'{}]+)\s*(?:,\s*'([^']*)'\s*)?$/;

/** Parse a string into a template; null when it contains no variable (the common case). */
export function parseTemplate(source: string): Template | null {
  if (!source.includes('${')) return null;
  const parts: TemplatePart[] = [];
  const keys: string[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('${', i);
    if (open < 0) break;
    const close = source.indexOf('}', open + 2);
    if (close < 0) break; // unterminated: literal text
    const body = source.slice(open + 2, close);
    text += source.slice(i, open);
    i = close + 1;
    if (body === '*' || body === '?' || body === '$') {
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'literal', text: body });
      continue;
    }
    const m = VARIABLE_BODY.exec(body);
    if (!m) {
      text += source.slice(open, close + 1);
      continue;
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    const key = m[1]!.toLowerCase();
    keys.push(key);
    parts.push(m[2] === undefined ? { kind: 'var', key } : { kind: 'var', key, fallback: m[2] });
  }
  text += source.slice(i);
  if (text) parts.push({ kind: 'text', text });
  if (!parts.some((p) => p.kind !== 'text')) return null;
  return { source, parts, keys };
}

export interface Resolved {
  text: string;
  /** Per character: wildcard or literal (see glob.ts). */
  mask: Uint8Array;
}

/** Single-valued lookup: a multivalued or absent key yields undefined (treated as null, §3.7 rule 4). */
export function lookupSingle(ctx: RequestContext, key: string): string | undefined {
  const v = ctx[key];
  return typeof v === 'string' ? v : undefined;
}

/** Resolve a template against the context; null when a variable has no value and no default. */
export function resolveTemplate(t: Template, ctx: RequestContext): Resolved | null {
  let text = '';
  const masks: Uint8Array[] = [];
  for (const part of t.parts) {
    let piece: string;
    let literal: boolean;
    if (part.kind === 'text') {
      piece = part.text;
      literal = false;
    } else if (part.kind === 'literal') {
      piece = part.text;
      literal = true;
    } else {
      const v = lookupSingle(ctx, part.key) ?? part.fallback;
      if (v === undefined) return null;
      piece = v;
      literal = true;
    }
    text += piece;
    masks.push(literal ? new Uint8Array(piece.length).fill(LITERAL) : maskOf(piece));
  }
  const mask = new Uint8Array(text.length);
  let off = 0;
  for (const m of masks) {
    mask.set(m, off);
    off += m.length;
  }
  return { text, mask };
}

/** Resolve to plain text (for operators without wildcards); null when unresolvable. */
export function resolveTemplateText(t: Template, ctx: RequestContext): string | null {
  let text = '';
  for (const part of t.parts) {
    if (part.kind === 'var') {
      const v = lookupSingle(ctx, part.key) ?? part.fallback;
      if (v === undefined) return null;
      text += v;
    } else text += part.text;
  }
  return text;
}
