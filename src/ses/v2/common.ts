// Small helpers shared by the v2 operation files: the v2 status enum, NextToken and check context.
import type { ContextValue } from '../../policy/request.js';
import { badRequest, texts } from '../errors.js';
import { decodeNextToken } from '../state/paging.js';

/** v1 status words -> v2 enum (`TemporaryFailure` -> `TEMPORARY_FAILURE`). */
export const v2Status = (s: string): string => s.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

export function afterToken(token: string | undefined): string | undefined {
  const after = decodeNextToken(token);
  if (after === null) throw badRequest(texts.invalidNextToken);
  return after;
}

/** `{ context }` when there are keys, else nothing (checks without keys stay as they were). */
export const withContext = (
  context: Record<string, ContextValue>,
): { context?: Record<string, ContextValue> } => (Object.keys(context).length > 0 ? { context } : {});
