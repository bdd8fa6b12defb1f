// Null (docs/spec/iam.md §3.4): `"true"` holds when the key is absent, `"false"` when it is present. An empty
// multivalued key has no values and counts as absent.

import type { ContextValue } from '../request.js';

export function isAbsent(v: ContextValue | undefined): boolean {
  return v === undefined || (typeof v !== 'string' && v.length === 0);
}

export function compileNull(values: readonly string[]): (v: ContextValue | undefined) => boolean {
  const wants = values.map((x) => x.toLowerCase());
  const wantAbsent = wants.includes('true');
  const wantPresent = wants.includes('false');
  return (v) => (isAbsent(v) ? wantAbsent : wantPresent);
}
