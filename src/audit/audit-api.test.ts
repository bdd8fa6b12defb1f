// GET /sesame/audit/events end to end: signed for service `sesame`, authorized as
// sesame:LookupEvents, scoped to the caller's account, filterable and tailable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ACCOUNT, startTestServer, type TestServer } from '../../test/support/server.js';
import {
  clientsFor,
  errorOf,
  policyDoc,
  secondAccount,
  userWithPolicy,
  type Clients,
  type Creds,
} from '../../test/support/ses-fixtures.js';

let server: TestServer;
let root: Clients;

interface Event {
  seq: number;
  eventName: string;
  decision: string;
  principalArn: string | null;
  accountId: string | null;
}

async function lookup(
  creds: Creds,
  query: Record<string, string> = {},
): Promise<{ status: number; json: { Events?: Event[]; NextBefore?: number; message?: string } }> {
  const url = new URL(server.endpoint);
  const path = '/sesame/audit/events';
  const signer = new SignatureV4({
    credentials: creds,
    region: 'us-east-1',
    service: 'sesame',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query,
      headers: { host: url.host },
    }),
  );
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${server.endpoint}${path}${qs ? `?${qs}` : ''}`, {
    headers: signed.headers as Record<string, string>,
  });
  return {
    status: res.status,
    json: (await res.json()) as { Events?: Event[]; NextBefore?: number; message?: string },
  };
}

beforeAll(async () => {
  server = await startTestServer();
  root = clientsFor(server, server.credentials);
});
afterAll(async () => server?.stop());

describe('audit log over HTTP', () => {
  it('lists the account’s records newest first, filters by decision and principal, and tails after a sequence number', async () => {
    const denied = await userWithPolicy(root, undefined, 'auditee');
    const err = await errorOf(clientsFor(server, denied.creds).iam.send(new ListUsersCommand({})));
    expect(err.status).toBe(403);

    const all = await lookup(server.credentials, { limit: '50' });
    expect(all.status).toBe(200);
    const events = all.json.Events ?? [];
    expect(events.map((e) => e.eventName).slice(0, 3)).toEqual([
      'ListUsers',
      'CreateAccessKey',
      'CreateUser',
    ]);
    expect(events.every((e) => e.accountId === ACCOUNT)).toBe(true);
    expect(events[0]!.seq).toBeGreaterThan(events[1]!.seq);

    const denials = await lookup(server.credentials, { decision: 'ImplicitDeny', principal: denied.arn });
    expect(denials.json.Events?.map((e) => [e.eventName, e.decision, e.principalArn])).toEqual([
      ['ListUsers', 'ImplicitDeny', denied.arn],
    ]);

    const oldest = events.at(-1)!.seq;
    const tail = await lookup(server.credentials, { after: String(oldest), limit: '2' });
    expect(tail.json.Events?.map((e) => e.seq)).toEqual([events.at(-2)!.seq, events.at(-3)!.seq]);
  });

  it('needs sesame:LookupEvents, and never shows another account’s records', async () => {
    const plain = await userWithPolicy(root, undefined, 'no-audit');
    const refused = await lookup(plain.creds);
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe(
      `User: ${plain.arn} is not authorized to perform: sesame:LookupEvents on resource: * because no identity-based policy allows the sesame:LookupEvents action`,
    );
    const auditor = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'sesame:LookupEvents', Resource: '*' }),
      'auditor',
    );
    expect((await lookup(auditor.creds)).status).toBe(200);

    const other = await secondAccount(server);
    const theirs = await lookup(other.creds, { limit: '1000' });
    expect(theirs.status).toBe(200);
    expect((theirs.json.Events ?? []).every((e) => e.accountId === other.accountId)).toBe(true);
  });

  it('pages back with before/NextBefore, filters by event name and time, and refuses bad values with exact 400s', async () => {
    const caller = await userWithPolicy(root, undefined, 'pager');
    const sts = clientsFor(server, caller.creds).sts;
    for (let i = 0; i < 5; i++) await sts.send(new GetCallerIdentityCommand({}));
    const q = { principal: caller.arn, eventName: 'GetCallerIdentity' };
    const all = (await lookup(server.credentials, q)).json.Events ?? [];
    expect(all.map((e) => [e.eventName, e.decision])).toEqual(
      Array(5).fill(['GetCallerIdentity', 'Allowed']),
    );
    const seqs = all.map((e) => e.seq);

    const p1 = await lookup(server.credentials, { ...q, limit: '2' });
    expect([p1.json.Events?.map((e) => e.seq), p1.json.NextBefore]).toEqual([seqs.slice(0, 2), seqs[1]]);
    const p2 = await lookup(server.credentials, { ...q, limit: '2', before: String(p1.json.NextBefore) });
    expect([p2.json.Events?.map((e) => e.seq), p2.json.NextBefore]).toEqual([seqs.slice(2, 4), seqs[3]]);
    const p3 = await lookup(server.credentials, { ...q, limit: '2', before: String(p2.json.NextBefore) });
    expect(p3.json.Events?.map((e) => e.seq)).toEqual(seqs.slice(4));
    expect(p3.json).not.toHaveProperty('NextBefore');
    // A full last page says nothing is left (no empty page to fetch).
    const exact = await lookup(server.credentials, { ...q, limit: '5' });
    expect([exact.json.Events?.length, exact.json.NextBefore]).toEqual([5, undefined]);
    // The bounds themselves are accepted: 1 and 1000 records at most.
    const one = await lookup(server.credentials, { ...q, limit: '1' });
    expect([one.json.Events?.map((e) => e.seq), one.json.NextBefore]).toEqual([seqs.slice(0, 1), seqs[0]]);
    expect((await lookup(server.credentials, { ...q, limit: '1000' })).json.Events?.length).toBe(5);
    // after=0 is a valid start: every record of the filter, oldest first.
    expect((await lookup(server.credentials, { ...q, after: '0' })).json.Events?.map((e) => e.seq)).toEqual(
      [...seqs].reverse(),
    );

    const t0 = new Date(Date.now() - 60_000).toISOString();
    expect((await lookup(server.credentials, { ...q, since: t0 })).json.Events?.length).toBe(5);
    expect((await lookup(server.credentials, { ...q, until: t0 })).json.Events).toEqual([]);
    expect((await lookup(server.credentials, { ...q, decision: 'ImplicitDeny' })).json.Events).toEqual([]);

    const bad: [Record<string, string>, string][] = [
      [
        { decision: 'Denied' },
        'decision must be one of Allowed, ExplicitDeny, ImplicitDeny, Unauthenticated, NotEvaluated.',
      ],
      [{ limit: '0' }, 'limit must be a whole number from 1 to 1000.'],
      [{ limit: '1001' }, 'limit must be a whole number from 1 to 1000.'],
      [{ limit: 'many' }, 'limit must be a whole number from 1 to 1000.'],
      [{ limit: '-1' }, 'limit must be a whole number from 1 to 1000.'],
      [{ before: 'x1' }, 'before must be a whole number up to 9007199254740991.'],
      [{ after: '9007199254740992' }, 'after must be a whole number up to 9007199254740991.'],
      [{ before: '5', after: '1' }, 'after and before cannot be used together.'],
      [{ since: '2030-01-01T00:00:00Z', until: '2020-01-01T00:00:00Z' }, 'since must be before until.'],
      [{ since: 'yesterday' }, 'since must be an ISO 8601 date or epoch seconds.'],
    ];
    for (const [query, message] of bad)
      expect(await lookup(server.credentials, query)).toEqual({
        status: 400,
        json: { __type: 'BadRequestException', message },
      });
  });
});
