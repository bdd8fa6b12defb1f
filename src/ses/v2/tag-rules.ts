// SES v2 resource tags: the rules a tag list must meet (TagResource and the Create* operations that
// take Tags) and the condition keys tags feed (aws:RequestTag/*, aws:TagKeys, aws:ResourceTag/*).
// Limits from the sesv2 model docs; wording and the order of the checks as third-party probes of AWS
// reported them (see the report of the change that added this file): count, character set (value
// before key), reserved prefix, lengths (all of them, value before key), empty key, duplicate key.
import { badRequest } from '../errors.js';
import type { Tag } from '../state/json.js';

export const MAX_TAGS_PER_RESOURCE = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
/** Unicode letters, digits, separators (spaces) and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{N}\p{Z}_.:/=+@-]*$/u;

export const tagTexts = {
  tooMany:
    'Maximum of 50 user tags are allowed per resource, consider reducing the number of tags in the request',
  tooManyAfterMerge:
    'Maximum of 50 user tags are allowed per resource, consider reducing the number of tags in the request or delete existing tags and retry',
  characters:
    'Tags can only contain letters, numbers, spaces, and the following special characters: _ . : / = + - @',
  systemTag: 'Caller is an end user and not allowed to mutate system tags',
  duplicate: 'Cannot provide multiple tags with the same key',
  // [INF] not recorded: AWS answers an empty Tags list with BadRequestException, wording unknown.
  emptyList: 'Tags must not be empty.',
};

const length = (s: string): number => [...s].length;
export const isSystemTagKey = (key: string): boolean => key.slice(0, 4).toLowerCase() === 'aws:';

/**
 * The tags of a request, checked; the same list (Key and Value only) when every rule holds.
 * Throws BadRequestException with AWS's wording for the first rule broken.
 */
export function checkTags(tags: readonly Partial<Tag>[] | undefined): Tag[] {
  const list = tags ?? [];
  if (list.length > MAX_TAGS_PER_RESOURCE) throw badRequest(tagTexts.tooMany);
  const ok = (s: unknown): s is string => typeof s === 'string' && TAG_CHARACTERS.test(s);
  if (list.some((t) => !ok(t.Value) || !ok(t.Key))) throw badRequest(tagTexts.characters);
  const checked = list as Tag[];
  if (checked.some((t) => isSystemTagKey(t.Key))) throw badRequest(tagTexts.systemTag);
  const errors: string[] = [];
  checked.forEach((t, i) => {
    if (length(t.Value) > MAX_VALUE_LENGTH) errors.push(lengthError(i + 1, 'value', MAX_VALUE_LENGTH));
    if (length(t.Key) > MAX_KEY_LENGTH) errors.push(lengthError(i + 1, 'key', MAX_KEY_LENGTH));
  });
  if (errors.length > 0) {
    const head = errors.length === 1 ? '1 validation error' : `${errors.length} validation errors`;
    throw badRequest(`${head} detected: ${errors.join('; ')}`);
  }
  // AWS answers an empty key with a BadRequestException that has no message.
  if (checked.some((t) => t.Key === '')) throw badRequest('');
  if (new Set(checked.map((t) => t.Key)).size !== checked.length) throw badRequest(tagTexts.duplicate);
  return checked.map((t) => ({ Key: t.Key, Value: t.Value }));
}

const lengthError = (index: number, member: string, max: number): string =>
  `Value at 'tags.${index}.member.${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`;

export { requestTagContext, resourceTagContext } from '../../authz/tag-context.js';
