import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { call, testContext } from '../test-context.js';
import { sesV1Operations as v1 } from '../v1/index.js';
import { sesV2Operations as v2 } from '../v2/index.js';
import { getIdentity } from '../state/identities.js';
import { getOutboxMessage, listOutbox } from '../send/outbox.js';
import { verifyEmailRoute } from './routes.js';
import { publicBaseUrl, verificationSubject } from './email-link.js';

let seq = 0;
const nextAccount = () => String(333333333333 + ++seq * 1000);
const NOW = new Date('2026-11-28T12:00:00Z');

describe.each(testDialects())('email verification on %s', (dialect) => {
  let store: Store;
  let server: FastifyInstance;
  let clock = NOW;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    server = Fastify();
    verifyEmailRoute(server, store, () => clock);
    await server.ready();
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });
  const ctx = (apiVersion: '1' | '2', config: object = { verification: 'email' }) =>
    testContext(store, { accountId: nextAccount(), apiVersion, now: NOW, config });

  /** The verification mail queued for the account: its parsed form and the link's path. */
  async function mailFor(accountId: string) {
    const rows = await listOutbox(store, accountId, { limit: 10 });
    expect(rows).toHaveLength(1);
    const msg = await getOutboxMessage(store, rows[0]!.messageId);
    const parsed = await simpleParser(msg!.raw);
    const link = /(http:\/\/\S+\/verify-email\?token=[A-Za-z0-9_%-]+)/.exec(parsed.text ?? '')?.[1];
    expect(link).toBeDefined();
    return { row: rows[0]!, parsed, path: link!.replace(/^http:\/\/[^/]+/, '') };
  }
  const status = async (accountId: string, identity: string) =>
    (await getIdentity(store, accountId, 'us-east-1', identity))?.verification_status;

  it('v1 VerifyEmailIdentity queues SES verification mail; the link verifies the address', async () => {
    const c = ctx('1');
    await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'ann@example.com' });
    expect(await status(c.caller.accountId, 'ann@example.com')).toBe('Pending');
    const { row, parsed, path } = await mailFor(c.caller.accountId);
    expect(row.source).toBe('no-reply-aws@amazon.com');
    expect(row.recipients).toEqual(['ann@example.com']);
    expect(row.operation).toBe('VerifyEmailIdentity');
    expect(parsed.subject).toBe(
      'Amazon Web Services – Email Address Verification Request in region US East (N. Virginia)',
    );
    expect(parsed.text).toContain(`${publicBaseUrl(c.config)}/verify-email?token=`);
    // The address identity shows no token, and the stored value is not the link's token.
    const attrs = await call(v1, 'GetIdentityVerificationAttributes', c, { Identities: ['ann@example.com'] });
    expect(attrs).toEqual({
      VerificationAttributes: { 'ann@example.com': { VerificationStatus: 'Pending' } },
    });
    const token = decodeURIComponent(path.split('token=')[1]!);
    const stored = (await getIdentity(store, c.caller.accountId, 'us-east-1', 'ann@example.com'))!;
    expect(stored.verification_token).not.toContain(token);

    const res = await server.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('ann@example.com');
    expect(await status(c.caller.accountId, 'ann@example.com')).toBe('Success');
    const after = await call(v1, 'ListVerifiedEmailAddresses', c);
    expect(after).toEqual({ VerifiedEmailAddresses: ['ann@example.com'] });

    // A used link is spent.
    const again = await server.inject({ method: 'GET', url: path });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('not valid');
  });

  it('v1 VerifyEmailAddress and v2 CreateEmailIdentity send the mail too', async () => {
    const a = ctx('1');
    await call(v1, 'VerifyEmailAddress', a, { EmailAddress: 'bob@example.com' });
    expect((await mailFor(a.caller.accountId)).row.operation).toBe('VerifyEmailAddress');
    const b = ctx('2');
    const out = await call(v2, 'CreateEmailIdentity', b, { EmailIdentity: 'cat@example.com' });
    expect(out.VerifiedForSendingStatus).toBe(false);
    const { row, path } = await mailFor(b.caller.accountId);
    expect(row.operation).toBe('CreateEmailIdentity');
    expect(row.apiVersion).toBe('2');
    expect((await server.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    const got = await call(v2, 'GetEmailIdentity', b, { EmailIdentity: 'cat@example.com' });
    expect(got.VerificationStatus).toBe('SUCCESS');
    expect(got.VerifiedForSendingStatus).toBe(true);
  });

  it('a bad token answers 400 and changes nothing', async () => {
    const c = ctx('1');
    await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'dan@example.com' });
    const before = await getIdentity(store, c.caller.accountId, 'us-east-1', 'dan@example.com');
    for (const url of ['/verify-email?token=bogus', '/verify-email', '/verify-email?token=']) {
      const res = await server.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('This verification link is not valid');
    }
    expect(await getIdentity(store, c.caller.accountId, 'us-east-1', 'dan@example.com')).toEqual(before);
  });

  it('an expired token (24 h) answers 400 and leaves the identity Pending', async () => {
    const c = ctx('1');
    await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'eve@example.com' });
    const { path } = await mailFor(c.caller.accountId);
    clock = new Date(NOW.getTime() + 24 * 3600_000);
    try {
      const res = await server.inject({ method: 'GET', url: path });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('expired');
    } finally {
      clock = NOW;
    }
    expect(await status(c.caller.accountId, 'eve@example.com')).toBe('Pending');
    // Just inside the 24 hours it still works.
    clock = new Date(NOW.getTime() + 24 * 3600_000 - 1);
    try {
      expect((await server.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    } finally {
      clock = NOW;
    }
  });

  it('asking again sends a new link and retires the old one', async () => {
    const c = ctx('1');
    await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'fay@example.com' });
    const first = await mailFor(c.caller.accountId);
    await store.db.deleteFrom('outbox').where('account_id', '=', c.caller.accountId).execute();
    await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'fay@example.com' });
    const second = await mailFor(c.caller.accountId);
    expect(second.path).not.toBe(first.path);
    expect((await server.inject({ method: 'GET', url: first.path })).statusCode).toBe(400);
    expect((await server.inject({ method: 'GET', url: second.path })).statusCode).toBe(200);
  });

  it('auto and dns modes send no mail', async () => {
    for (const verification of ['auto', 'dns']) {
      const c = ctx('1', { verification });
      await call(v1, 'VerifyEmailIdentity', c, { EmailAddress: 'gus@example.com' });
      expect(await listOutbox(store, c.caller.accountId, { limit: 10 })).toEqual([]);
      expect(await status(c.caller.accountId, 'gus@example.com')).toBe(
        verification === 'auto' ? 'Success' : 'Pending',
      );
    }
  });
});

describe('verification mail wording', () => {
  it('names the region as the console does, or its code when unknown', () => {
    expect(verificationSubject('eu-west-1')).toBe(
      'Amazon Web Services – Email Address Verification Request in region Europe (Ireland)',
    );
    expect(verificationSubject('xx-test-9')).toBe(
      'Amazon Web Services – Email Address Verification Request in region xx-test-9',
    );
  });
  it('links to SESAME_PUBLIC_URL when set, else to the HTTP listener', () => {
    const cfg = { httpHost: '127.0.0.1', httpPort: 8787 };
    expect(publicBaseUrl(cfg)).toBe('http://127.0.0.1:8787');
    expect(publicBaseUrl({ ...cfg, publicUrl: 'https://mail.example.org/' })).toBe(
      'https://mail.example.org',
    );
  });
});
