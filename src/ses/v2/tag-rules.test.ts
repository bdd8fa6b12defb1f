import { describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { checkTags, requestTagContext, resourceTagContext, tagTexts } from './tag-rules.js';

const t = (Key: unknown, Value: unknown) => ({ Key, Value }) as { Key: string; Value: string };
const many = (n: number) => Array.from({ length: n }, (_, i) => t(`k${i}`, 'v'));

function refusal(tags: { Key: string; Value: string }[]): { code: string; status: number; message: string } {
  try {
    checkTags(tags);
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, status: e.httpStatus, message: e.message };
    throw e;
  }
  throw new Error('checkTags accepted the list');
}
const badRequest = (message: string) => ({ code: 'BadRequestException', status: 400, message });

describe('checkTags', () => {
  it('accepts 0 to 50 tags, empty values, the allowed symbols, Unicode letters and spaces', () => {
    expect(checkTags(undefined)).toEqual([]);
    expect(checkTags(many(50))).toHaveLength(50);
    const ok = [t('k', ''), t('sym', '_ . : / = + - @ a1'), t('é ü', 'ß\u00a0漢'), t('aws', 'aws:value')];
    expect(checkTags(ok)).toEqual(ok);
  });

  it('keeps only Key and Value', () => {
    expect(checkTags([{ Key: 'k', Value: 'v', Extra: 1 } as never])).toEqual([{ Key: 'k', Value: 'v' }]);
  });

  it('refuses 51 tags first, even when they also break other rules', () => {
    expect(refusal(many(51))).toEqual(badRequest(tagTexts.tooMany));
    expect(refusal([t('aws:x', 'v'), ...many(50)])).toEqual(badRequest(tagTexts.tooMany));
  });

  it('refuses characters outside the set, in keys and values (and a missing value)', () => {
    expect(refusal([t('k', 'bad!')])).toEqual(badRequest(tagTexts.characters));
    expect(refusal([t('bad#key', 'v')])).toEqual(badRequest(tagTexts.characters));
    expect(refusal([t('k', 'tab\there')])).toEqual(badRequest(tagTexts.characters));
    expect(refusal([t('k', undefined)])).toEqual(badRequest(tagTexts.characters));
    // Characters before the reserved prefix and before lengths.
    expect(refusal([t('aws:k', 'bad!')])).toEqual(badRequest(tagTexts.characters));
    expect(refusal([t('k'.repeat(129), 'bad!')])).toEqual(badRequest(tagTexts.characters));
  });

  it('refuses the aws: key prefix in any case, not in values', () => {
    expect(refusal([t('aws:team', 'v')])).toEqual(badRequest(tagTexts.systemTag));
    expect(refusal([t('AWS:team', 'v')])).toEqual(badRequest(tagTexts.systemTag));
    expect(refusal([t('ok', 'v'), t('Aws:x', 'v')])).toEqual(badRequest(tagTexts.systemTag));
    expect(checkTags([t('awsteam', 'aws:v')])).toHaveLength(1);
  });

  it('reports every length violation, value before key, counting code points', () => {
    expect(refusal([t('k'.repeat(129), 'v')])).toEqual(
      badRequest(
        "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
      ),
    );
    expect(refusal([t('ok', 'v'), t('k'.repeat(129), 'v'.repeat(257))])).toEqual(
      badRequest(
        "2 validation errors detected: Value at 'tags.2.member.value' failed to satisfy constraint: Member must have length less than or equal to 256; Value at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
      ),
    );
    const astral = '\u{1D400}'; // one letter, two UTF-16 units
    expect(checkTags([t(astral.repeat(128), 'v'.repeat(256))])).toHaveLength(1);
  });

  it('refuses an empty key with no message, then duplicate keys (case-sensitive)', () => {
    expect(refusal([t('', 'v')])).toEqual(badRequest(''));
    expect(refusal([t('k', '1'), t('k', '2')])).toEqual(badRequest(tagTexts.duplicate));
    expect(checkTags([t('k', '1'), t('K', '2')])).toHaveLength(2);
  });
});

describe('tag condition keys', () => {
  it('gives aws:RequestTag per tag and aws:TagKeys for requests with tags, nothing without', () => {
    expect(requestTagContext([t('team', 'mail'), t('env', '')])).toEqual({
      'aws:TagKeys': ['team', 'env'],
      'aws:RequestTag/team': 'mail',
      'aws:RequestTag/env': '',
    });
    expect(requestTagContext(undefined)).toEqual({});
    expect(requestTagContext([])).toEqual({});
  });

  it('gives aws:ResourceTag per existing tag', () => {
    expect(resourceTagContext([t('team', 'mail')])).toEqual({ 'aws:ResourceTag/team': 'mail' });
    expect(resourceTagContext(undefined)).toEqual({});
  });
});
