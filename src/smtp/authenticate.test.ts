// SMTP credentials (docs/spec/ses.md §6.2, §6.3): long-term active keys with the region's v4 password
// (or the legacy v2 one); everything else is 535, a failing key store 454.
import { describe, expect, it } from 'vitest';
import { smtpPasswordV2, smtpPasswordV4 } from '../auth/smtp-password.js';
import { authenticateSmtp, type ResolveKey } from './authenticate.js';
import { KEYS, REGION, fakeResolveKey } from './test-support.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const INVALID = { kind: 'refused', reply: { code: 535, message: 'Authentication Credentials Invalid' } };

describe('authenticateSmtp', () => {
  it('accepts an IAM user key with its v4 password for the region, and hands back the caller', async () => {
    const r = await authenticateSmtp(
      fakeResolveKey,
      { username: KEYS.user.accessKeyId, password: KEYS.user.password },
      REGION,
      NOW,
    );
    expect(r.kind).toBe('authenticated');
    expect(r.kind === 'authenticated' && r.caller.principal.arn).toBe(
      'arn:aws:iam::111122223333:user/smtp-user',
    );
  });

  it('accepts the root key and the legacy v2 password', async () => {
    const root = await authenticateSmtp(
      fakeResolveKey,
      { username: KEYS.root.accessKeyId, password: KEYS.root.password },
      REGION,
      NOW,
    );
    expect(root.kind === 'authenticated' && root.caller.principal.arn).toBe('arn:aws:iam::111122223333:root');
    const v2 = await authenticateSmtp(
      fakeResolveKey,
      { username: KEYS.user.accessKeyId, password: smtpPasswordV2(KEYS.user.secretAccessKey) },
      REGION,
      NOW,
    );
    expect(v2.kind).toBe('authenticated');
  });

  it('the region binds the v4 password: a us-west-2 listener refuses the us-east-1 password', async () => {
    const r = await authenticateSmtp(
      fakeResolveKey,
      { username: KEYS.user.accessKeyId, password: KEYS.user.password },
      'us-west-2',
      NOW,
    );
    expect(r).toEqual(INVALID);
    const ok = await authenticateSmtp(
      fakeResolveKey,
      { username: KEYS.user.accessKeyId, password: smtpPasswordV4(KEYS.user.secretAccessKey, 'us-west-2') },
      'us-west-2',
      NOW,
    );
    expect(ok.kind).toBe('authenticated');
  });

  it.each([
    ['wrong password', KEYS.user.accessKeyId, smtpPasswordV4('nope', REGION)],
    ['empty password', KEYS.user.accessKeyId, ''],
    ['unknown key', 'AKIAUNKNOWNKEY000001', KEYS.user.password],
    ['malformed user name', 'not a key id', KEYS.user.password],
    ['inactive key', KEYS.inactive.accessKeyId, KEYS.inactive.password],
    ['temporary key', KEYS.temporary.accessKeyId, KEYS.temporary.password],
  ])('%s -> 535', async (_, username, password) => {
    expect(await authenticateSmtp(fakeResolveKey, { username, password }, REGION, NOW)).toEqual(INVALID);
  });

  it('a key whose caller is temporary is refused even without ASIA or a session token', async () => {
    const resolve: ResolveKey = async (id, now) => {
      const r = await fakeResolveKey(KEYS.user.accessKeyId, now);
      return r && id === 'AKIAODDTEMPORARY0001'
        ? { ...r, caller: { ...r.caller, temporary: true } }
        : undefined;
    };
    expect(
      await authenticateSmtp(
        resolve,
        { username: 'AKIAODDTEMPORARY0001', password: KEYS.user.password },
        REGION,
        NOW,
      ),
    ).toEqual(INVALID);
  });

  it('passes the access key id and the time to the resolver; a throwing resolver gives 454', async () => {
    const seen: [string, Date][] = [];
    const resolve: ResolveKey = async (id, now) => {
      seen.push([id, now]);
      throw new Error('store down');
    };
    expect(
      await authenticateSmtp(
        resolve,
        { username: KEYS.user.accessKeyId, password: KEYS.user.password },
        REGION,
        NOW,
      ),
    ).toEqual({
      kind: 'refused',
      reply: { code: 454, message: 'Temporary authentication failure' },
    });
    expect(seen).toEqual([[KEYS.user.accessKeyId, NOW]]);
  });
});
