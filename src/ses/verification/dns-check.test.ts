import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { call, testContext } from '../test-context.js';
import { sesV1Operations as v1 } from '../v1/index.js';
import { sesV2Operations as v2 } from '../v2/index.js';
import { getIdentity } from '../state/identities.js';
import { startTestDnsServer, type TestDnsServer } from './test-dns-server.js';
import {
  DNS_VERIFICATION_WINDOW_MS,
  runDnsVerification,
  startDnsVerifier,
  systemResolver,
  type DnsLookup,
} from './dns-check.js';

let seq = 0;
const nextAccount = () => String(444444444444 + ++seq * 1000);
const NOW = new Date('2026-11-28T12:00:00Z');
const silent = { info: () => {}, warn: () => {} };

describe.each(testDialects())('DNS verification on %s', (dialect) => {
  let store: Store;
  let dnsServer: TestDnsServer;
  let dns: DnsLookup;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    dnsServer = await startTestDnsServer();
    dns = systemResolver([dnsServer.address]);
  });
  afterAll(async () => {
    await dnsServer.stop();
    await store.close();
  });
  const ctx = (apiVersion: '1' | '2' = '1') =>
    testContext(store, { accountId: nextAccount(), apiVersion, now: NOW, config: { verification: 'dns' } });
  const row = (accountId: string, domain: string) => getIdentity(store, accountId, 'us-east-1', domain);

  it('the test DNS server answers NXDOMAIN for unknown names and no data for other types', async () => {
    await expect(dns.resolveTxt('nothing.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    dnsServer.records.txt['only-txt.test'] = ['a'];
    await expect(dns.resolveCname('only-txt.test')).rejects.toMatchObject({ code: 'ENODATA' });
    expect(await dns.resolveTxt('only-txt.test')).toEqual([['a']]);
  });

  it('a TXT record equal to the token verifies the domain; a wrong one leaves it Pending', async () => {
    const good = ctx();
    const bad = ctx();
    const { VerificationToken: token } = await call(v1, 'VerifyDomainIdentity', good, {
      Domain: 'good.test',
    });
    await call(v1, 'VerifyDomainIdentity', bad, { Domain: 'wrong.test' });
    expect((await row(good.caller.accountId, 'good.test'))?.verification_status).toBe('Pending');
    dnsServer.records.txt['_amazonses.good.test'] = ['v=spf1 -all', token];
    dnsServer.records.txt['_amazonses.wrong.test'] = ['not-the-token'];

    await runDnsVerification(store, dns, NOW);
    const g = (await row(good.caller.accountId, 'good.test'))!;
    expect(g.verification_status).toBe('Success');
    expect(g.dkim_status).toBe('NotStarted');
    expect((await row(bad.caller.accountId, 'wrong.test'))?.verification_status).toBe('Pending');
    const attrs = await call(v1, 'GetIdentityVerificationAttributes', good, { Identities: ['good.test'] });
    expect(attrs).toEqual({
      VerificationAttributes: { 'good.test': { VerificationStatus: 'Success', VerificationToken: token } },
    });
  });

  it('DKIM CNAMEs to <token>.dkim.amazonses.com verify DKIM (and so the domain)', async () => {
    const c = ctx();
    const { DkimTokens: tokens } = await call(v1, 'VerifyDomainDkim', c, { Domain: 'dkim.test' });
    expect(tokens).toHaveLength(3);
    // Two of three records: not yet.
    for (const t of (tokens as string[]).slice(0, 2))
      dnsServer.records.cname[`${t}._domainkey.dkim.test`] = `${t}.dkim.amazonses.com`;
    await runDnsVerification(store, dns, NOW);
    expect((await row(c.caller.accountId, 'dkim.test'))?.dkim_status).toBe('Pending');
    const last = (tokens as string[])[2]!;
    dnsServer.records.cname[`${last}._domainkey.dkim.test`] = `${last}.DKIM.amazonses.com.`;
    await runDnsVerification(store, dns, NOW);
    const r = (await row(c.caller.accountId, 'dkim.test'))!;
    expect(r.dkim_status).toBe('Success');
    expect(r.verification_status).toBe('Success');
    const attrs = await call(v1, 'GetIdentityDkimAttributes', c, { Identities: ['dkim.test'] });
    expect(attrs.DkimAttributes['dkim.test'].DkimVerificationStatus).toBe('Success');
  });

  it('a CNAME to the wrong target does not verify DKIM', async () => {
    const c = ctx('2');
    const out = await call(v2, 'CreateEmailIdentity', c, { EmailIdentity: 'elsewhere.test' });
    for (const t of out.DkimAttributes.Tokens as string[])
      dnsServer.records.cname[`${t}._domainkey.elsewhere.test`] = `${t}.dkim.example.net`;
    await runDnsVerification(store, dns, NOW);
    const got = await call(v2, 'GetEmailIdentity', c, { EmailIdentity: 'elsewhere.test' });
    expect(got.DkimAttributes.Status).toBe('PENDING');
    expect(got.VerificationStatus).toBe('PENDING');
  });

  it('after 72 hours without records Pending becomes Failed', async () => {
    const c = ctx();
    await call(v1, 'VerifyDomainIdentity', c, { Domain: 'late.test' });
    await call(v1, 'VerifyDomainDkim', c, { Domain: 'late.test' });
    await runDnsVerification(store, dns, new Date(NOW.getTime() + DNS_VERIFICATION_WINDOW_MS - 1));
    expect((await row(c.caller.accountId, 'late.test'))?.verification_status).toBe('Pending');
    await runDnsVerification(store, dns, new Date(NOW.getTime() + DNS_VERIFICATION_WINDOW_MS));
    const r = (await row(c.caller.accountId, 'late.test'))!;
    expect(r.verification_status).toBe('Failed');
    expect(r.dkim_status).toBe('Failed');
  });

  it('with email verification, checks MAIL FROM domains and leaves domains alone', async () => {
    const c = testContext(store, {
      accountId: nextAccount(),
      apiVersion: '1',
      now: NOW,
      config: { verification: 'email' },
    });
    const { VerificationToken: token } = await call(v1, 'VerifyDomainIdentity', c, {
      Domain: 'mailmode.test',
    });
    await call(v1, 'SetIdentityMailFromDomain', c, {
      Identity: 'mailmode.test',
      MailFromDomain: 'bounce.mailmode.test',
      BehaviorOnMXFailure: 'RejectMessage',
    });
    dnsServer.records.txt['_amazonses.mailmode.test'] = [token];
    dnsServer.records.mx['bounce.mailmode.test'] = [
      { priority: 10, exchange: 'feedback-smtp.us-east-1.amazonses.com' },
    ];
    const verifier = startDnsVerifier({
      store,
      config: { verification: 'email', profile: 'aws' },
      log: silent,
      servers: [dnsServer.address],
      intervalMs: 50,
      now: () => NOW,
    });
    try {
      const deadline = Date.now() + 5000;
      while ((await row(c.caller.accountId, 'mailmode.test'))?.mail_from_status !== 'Success') {
        if (Date.now() > deadline) throw new Error('the MAIL FROM domain was not verified within 5 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await row(c.caller.accountId, 'mailmode.test'))?.verification_status).toBe('Pending');
    } finally {
      await verifier.stop();
    }
  });

  it('fails a MAIL FROM domain only for a missing record, and starts a failed one over when set again', async () => {
    const c = ctx();
    await call(v1, 'VerifyDomainIdentity', c, { Domain: 'mx.test' });
    const set = () =>
      call(v1, 'SetIdentityMailFromDomain', c, { Identity: 'mx.test', MailFromDomain: 'mail.mx.test' });
    await set();
    const later = new Date(NOW.getTime() + DNS_VERIFICATION_WINDOW_MS);
    const failing: DnsLookup = {
      resolveTxt: (name) => dns.resolveTxt(name),
      resolveCname: (name) => dns.resolveCname(name),
      resolveMx: async () => {
        throw Object.assign(new Error('queryMx ESERVFAIL mail.mx.test'), { code: 'ESERVFAIL' });
      },
    };
    await runDnsVerification(store, failing, later);
    expect((await row(c.caller.accountId, 'mx.test'))?.mail_from_status).toBe('Pending');
    await runDnsVerification(store, dns, later);
    expect((await row(c.caller.accountId, 'mx.test'))?.mail_from_status).toBe('Failed');
    await set();
    expect((await row(c.caller.accountId, 'mx.test'))?.mail_from_status).toBe('Pending');
    dnsServer.records.mx['mail.mx.test'] = [
      { priority: 5, exchange: 'feedback-smtp.us-east-1.amazonses.com.' },
    ];
    await runDnsVerification(store, dns, later);
    expect((await row(c.caller.accountId, 'mx.test'))?.mail_from_status).toBe('Success');
    await set(); // the same domain again: verified, it stays so
    expect((await row(c.caller.accountId, 'mx.test'))?.mail_from_status).toBe('Success');
  });

  it('the verifier loop checks on start and on every interval, and stops', async () => {
    const c = ctx();
    const { VerificationToken: token } = await call(v1, 'VerifyDomainIdentity', c, { Domain: 'loop.test' });
    const verifier = startDnsVerifier({
      store,
      config: { verification: 'dns', profile: 'aws' },
      log: silent,
      servers: [dnsServer.address],
      intervalMs: 50,
      now: () => NOW,
    });
    try {
      await new Promise((r) => setTimeout(r, 150));
      expect((await row(c.caller.accountId, 'loop.test'))?.verification_status).toBe('Pending');
      dnsServer.records.txt['_amazonses.loop.test'] = [token];
      const deadline = Date.now() + 5000;
      while ((await row(c.caller.accountId, 'loop.test'))?.verification_status !== 'Success') {
        if (Date.now() > deadline) throw new Error('loop.test was not verified within 5 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await verifier.stop();
    }
  });
});

describe('startDnsVerifier outside dns mode', () => {
  it('does nothing in auto mode', async () => {
    let calls = 0;
    const resolver: DnsLookup = {
      resolveTxt: async () => (calls++, []),
      resolveCname: async () => (calls++, []),
      resolveMx: async () => (calls++, []),
    };
    const store = await openTestStore('sqlite');
    try {
      await store.db
        .insertInto('ses_identities')
        .values({
          account_id: '1',
          region: 'us-east-1',
          identity: 'x.test',
          identity_type: 'Domain',
          verification_status: 'Pending',
          verification_token: 't',
          dkim_enabled: 0,
          dkim_status: 'NotStarted',
          dkim_tokens: '[]',
          feedback_forwarding: 1,
          bounce_topic: null,
          complaint_topic: null,
          delivery_topic: null,
          headers_in_bounce: 0,
          headers_in_complaint: 0,
          headers_in_delivery: 0,
          mail_from_domain: null,
          mail_from_behavior: 'UseDefaultValue',
          configuration_set: null,
          tags: '[]',
          created_at: 0,
        })
        .execute();
      const v = startDnsVerifier({
        store,
        config: { verification: 'auto', profile: 'aws' },
        log: silent,
        resolver,
        intervalMs: 10,
      });
      await new Promise((r) => setTimeout(r, 60));
      await v.stop();
      expect(calls).toBe(0);
      // The same setup in dns mode does look it up (so the zero above means something).
      const w = startDnsVerifier({
        store,
        config: { verification: 'dns', profile: 'aws' },
        log: silent,
        resolver,
        intervalMs: 10,
      });
      await new Promise((r) => setTimeout(r, 60));
      await w.stop();
      expect(calls).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});
