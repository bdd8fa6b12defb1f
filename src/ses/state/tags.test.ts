import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { currentGeneration } from '../../iam/generation.js';
import { deleteIdentity, insertIdentity } from './identities.js';
import { deleteConfigurationSet, insertConfigurationSet } from './configuration-sets.js';
import { insertTemplate } from './templates.js';
import { getResourceTags, mergeTags, tagResource, untagResource, type TaggedResource } from './tags.js';

const now = new Date('2026-11-28T12:00:00Z');
const t = (Key: string, Value: string) => ({ Key, Value });

describe('mergeTags', () => {
  it('replaces values in place, appends new keys, and treats keys case-sensitively', () => {
    expect(
      mergeTags([t('env', 'dev'), t('owner', 'ann')], [t('env', 'prod'), t('Env', 'x'), t('team', 'mail')]),
    ).toEqual([t('env', 'prod'), t('owner', 'ann'), t('Env', 'x'), t('team', 'mail')]);
  });
});

describe.each(testDialects())('resource tags on %s', (dialect) => {
  let store: Store;
  let seq = 0;
  const account = () => String(444444444444 + ++seq);
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => store.close());

  async function identity(accountId: string, name: string, region = 'us-east-1'): Promise<TaggedResource> {
    await insertIdentity(store, accountId, region, {
      identity: name,
      type: 'Domain',
      status: 'Success',
      now,
      tags: [t('a', '1')],
    });
    return { accountId, region, kind: 'identity', name };
  }

  it('reads, adds, replaces and removes the tags of an identity', async () => {
    const r = await identity(account(), 'example.com');
    expect(await getResourceTags(store, r)).toEqual([t('a', '1')]);
    expect(await tagResource(store, r, [t('b', '2'), t('a', 'one')], 50)).toBe('tagged');
    expect(await getResourceTags(store, r)).toEqual([t('a', 'one'), t('b', '2')]);
    expect(await untagResource(store, r, ['a', 'absent'])).toBe(true);
    expect(await getResourceTags(store, r)).toEqual([t('b', '2')]);
  });

  it('answers missing for a resource that does not exist, and writes nothing', async () => {
    const r: TaggedResource = { accountId: account(), region: 'us-east-1', kind: 'template', name: 'nope' };
    expect(await getResourceTags(store, r)).toBeUndefined();
    expect(await tagResource(store, r, [t('k', 'v')], 50)).toBe('missing');
    expect(await untagResource(store, r, ['k'])).toBe(false);
  });

  it('refuses a merge beyond the limit and keeps the old tags; replacing at the limit is fine', async () => {
    const r = await identity(account(), 'limit.example');
    const fifty = Array.from({ length: 49 }, (_, i) => t(`k${i}`, 'v'));
    expect(await tagResource(store, r, fifty, 50)).toBe('tagged');
    expect(await getResourceTags(store, r)).toHaveLength(50);
    expect(await tagResource(store, r, [t('k0', 'new')], 50)).toBe('tagged');
    expect(await tagResource(store, r, [t('k50', 'v')], 50)).toBe('limit');
    const after = await getResourceTags(store, r);
    expect(after).toHaveLength(50);
    expect(after?.find((x) => x.Key === 'k0')?.Value).toBe('new');
    expect(after?.some((x) => x.Key === 'k50')).toBe(false);
  });

  it('keeps accounts and regions apart', async () => {
    const a = account();
    const east = await identity(a, 'example.com', 'us-east-1');
    const west = await identity(a, 'example.com', 'eu-west-1');
    const other = await identity(account(), 'example.com', 'us-east-1');
    await tagResource(store, east, [t('only', 'east')], 50);
    expect(await getResourceTags(store, west)).toEqual([t('a', '1')]);
    expect(await getResourceTags(store, other)).toEqual([t('a', '1')]);
  });

  it('tags configuration sets and templates in their own rows; tags go with the resource', async () => {
    const a = account();
    await insertConfigurationSet(store, a, 'us-east-1', 'cs', {}, [t('x', '1')], now);
    await insertTemplate(store, a, 'us-east-1', 'tpl', { subject: 's' }, [], now);
    const cs: TaggedResource = { accountId: a, region: 'us-east-1', kind: 'configuration-set', name: 'cs' };
    const tpl: TaggedResource = { accountId: a, region: 'us-east-1', kind: 'template', name: 'tpl' };
    expect(await tagResource(store, cs, [t('y', '2')], 50)).toBe('tagged');
    expect(await tagResource(store, tpl, [t('z', '')], 50)).toBe('tagged');
    expect(await getResourceTags(store, cs)).toEqual([t('x', '1'), t('y', '2')]);
    expect(await getResourceTags(store, tpl)).toEqual([t('z', '')]);
    await deleteConfigurationSet(store, a, 'us-east-1', 'cs');
    await insertConfigurationSet(store, a, 'us-east-1', 'cs', {}, [], now);
    expect(await getResourceTags(store, cs)).toEqual([]);
    const id = await identity(a, 'gone.example');
    await tagResource(store, id, [t('k', 'v')], 50);
    await deleteIdentity(store, a, 'us-east-1', 'gone.example');
    expect(await getResourceTags(store, id)).toBeUndefined();
  });

  it('loses no key when calls tag one resource at once', async () => {
    const r = await identity(account(), 'busy.example');
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => tagResource(store, r, [t(`c${i}`, String(i))], 50)),
    );
    const keys = (await getResourceTags(store, r))!.map((x) => x.Key).sort();
    expect(keys).toEqual(['a', 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']);
  });

  it('moves the account generation on identity tag writes only when something was written', async () => {
    const a = account();
    const r = await identity(a, 'gen.example');
    const before = currentGeneration(store, a);
    await tagResource(store, r, [t('k', 'v')], 50);
    const tagged = currentGeneration(store, a);
    expect(tagged).toBeGreaterThan(before);
    await tagResource(store, r, [t('k2', 'v')], 1);
    expect(currentGeneration(store, a)).toBe(tagged);
  });
});
