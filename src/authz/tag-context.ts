// The tag condition keys of a request, the same for IAM and SES resources: `aws:RequestTag/<key>`
// and `aws:TagKeys` for the tags a call sets, `aws:ResourceTag/<key>` for the tags a resource has.
import type { ContextValue } from '../policy/request.js';

interface TagLike {
  Key?: string;
  Value?: string;
}

/** Empty when no tags are given, so that the keys stay absent (`...IfExists`, `Null` see that). */
export function requestTagContext(tags: readonly TagLike[] | undefined): Record<string, ContextValue> {
  if (!tags || tags.length === 0) return {};
  const keys = tags.map((t) => t.Key).filter((k): k is string => typeof k === 'string');
  const out: Record<string, ContextValue> = { 'aws:TagKeys': keys };
  for (const t of tags) if (typeof t.Key === 'string') out[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  return out;
}

export function resourceTagContext(
  tags: readonly { Key: string; Value: string }[] | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) out[`aws:ResourceTag/${t.Key}`] = t.Value;
  return out;
}
