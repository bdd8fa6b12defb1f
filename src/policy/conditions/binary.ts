// BinaryEquals (docs/spec/iam.md §3.3): policy values are base64; the request value is base64 too (as in
// the IAM simulator's `binary` context type). Bytes are compared, not the encodings.

import type { OperatorImpl } from './types.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** Decode base64 to a binary string (one char per byte); null when not base64. */
export function decodeBase64(s: string): string | null {
  if (!BASE64.test(s)) return null;
  try {
    return atob(s);
  } catch {
    return null;
  }
}

export const BINARY_OPERATORS: Record<string, OperatorImpl> = {
  BinaryEquals: {
    negated: false,
    compile(values) {
      const bytes = values.map(decodeBase64).filter((b): b is string => b !== null);
      return (r) => {
        const rb = decodeBase64(r);
        return rb !== null && bytes.includes(rb);
      };
    },
  },
};
