// Policy what-if over a real audit log: 100,000 recorded SES sends of one user (each with its
// request context: global keys, From, display name, 1-5 recipients; a fifth also checked on a
// configuration set) in an on-disk SQLite store, then a narrower policy replayed over them with
// the same code the API runs (read, resolve, decide twice, explain the flips, group). Target: the
// whole replay under 2 s. Prints one JSON line.
//
//   npx tsx bench/what-if.bench.ts [--records 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { insertAuditEvent } from '../src/audit/audit-log.js';
import { recordContext } from '../src/audit/request-context.js';
import { requestFor } from '../src/authz/index.js';
import { call, testAccount } from '../src/iam/test-context.js';
import { findUser } from '../src/iam/entities.js';
import { userCaller } from '../src/iam/principals.js';
import { authorize } from '../src/policy/index.js';
import { openStore } from '../src/store/database.js';
import { whatIf } from '../src/what-if/operation.js';
import { profileWindow } from './support/profiler.js';

export const WHAT_IF_TARGET_MS = 2000;
const A = '111122223333';
const ID = `arn:aws:ses:us-east-1:${A}:identity/example.com`;
const CS = `arn:aws:ses:us-east-1:${A}:configuration-set/marketing`;

const CURRENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SendFromExample',
      Effect: 'Allow',
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      Resource: [ID, CS],
      Condition: {
        StringLike: { 'ses:FromAddress': '*@example.com' },
        'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.net', '*@partner.org'] },
      },
    },
    {
      Sid: 'NoEvil',
      Effect: 'Deny',
      Action: 'ses:Send*',
      Resource: '*',
      Condition: { 'ForAnyValue:StringLike': { 'ses:Recipients': '*@evil.com' } },
    },
    {
      Sid: 'OfficeHours',
      Effect: 'Deny',
      Action: 'ses:Send*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
    },
  ],
});
/** The change: only noreply@ and news@ may send, and not to partner.org any more. */
const CHANGED = CURRENT.replace('"*@example.com"', '["noreply@example.com","news@example.com"]').replace(
  ',"*@partner.org"',
  '',
);

const FROMS = ['noreply@example.com', 'news@example.com', 'billing@example.com', 'Team <team@example.com>'];

export interface WhatIfBenchResult {
  bench: 'policy.what_if';
  records: number;
  flips: number;
  cold_ms: number;
  median_ms: number;
  /** Process CPU time of the replay: steadier than wall time on a shared machine. */
  median_cpu_ms: number;
  target_ms: number;
  ratio_to_target: number;
  goals_met: { under_target: boolean };
}

async function fill(
  store: Awaited<ReturnType<typeof openStore>>,
  n: number,
  caller: Parameters<typeof requestFor>[0],
) {
  const start = Date.now() - 3 * 86_400_000;
  const BATCH = 2000;
  for (let b = 0; b < n; b += BATCH) {
    await store.db.transaction().execute(async (trx) => {
      const tx = { ...store, db: trx };
      for (let i = b; i < Math.min(n, b + BATCH); i++) {
        const t = new Date(start + i * 2000);
        const from = FROMS[i % FROMS.length]!;
        const address = from.includes('<') ? from.slice(from.indexOf('<') + 1, -1) : from;
        const recipients = Array.from(
          { length: 1 + (i % 5) },
          (_, j) => `r${(i + j) % 997}@${j === 2 ? 'partner.org' : 'example.net'}`,
        );
        const keys = {
          'ses:FromAddress': address,
          ...(from.includes('<') ? { 'ses:FromDisplayName': 'Team' } : {}),
          'ses:Recipients': recipients,
          'ses:FeedbackAddress': address,
        };
        const checks = [{ action: 'ses:SendEmail', resource: ID, resourceAccount: A, context: keys }];
        if (i % 5 === 0)
          checks.push({ action: 'ses:SendEmail', resource: CS, resourceAccount: A, context: keys });
        const global = {
          'aws:currenttime': t.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          'aws:epochtime': String(Math.floor(t.getTime() / 1000)),
          'aws:securetransport': 'true',
          'aws:requestedregion': 'us-east-1',
          'aws:principalaccount': A,
          'aws:principaltype': 'User',
          'aws:userid': 'AIDAEXAMPLE',
          'aws:principalarn': caller.principal.arn,
          'aws:sourceip': `10.0.${i % 250}.${i % 200}`,
          'aws:useragent':
            'aws-sdk-js/3.1169.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.19.0 api/sesv2#3.1176.0',
          'aws:username': 'mailer',
          'ses:apiversion': '2',
        };
        // The recorded decision is the one the live path would have taken.
        const d = checks
          .map((c) => authorize(requestFor(caller, c, { ...global }, false)).decision)
          .find((x) => x !== 'Allowed');
        await insertAuditEvent(tx, {
          time: t,
          accountId: A,
          region: 'us-east-1',
          principalArn: caller.principal.arn,
          accessKeyId: 'AKIAEXAMPLEKEY000001',
          sourceIp: global['aws:sourceip'],
          userAgent: global['aws:useragent'],
          eventSource: 'ses.amazonaws.com',
          eventName: 'SendEmail',
          actions: ['ses:SendEmail'],
          resources: checks.map((c) => c.resource),
          decision: d ?? 'Allowed',
          requestContext: recordContext(global, checks),
          requestId: `req-${i}`,
        });
      }
    });
  }
}

export async function runWhatIfBench(
  opts: { records?: number; rounds?: number; profileDir?: string } = {},
): Promise<WhatIfBenchResult> {
  const profileDir = opts.profileDir;
  const n = opts.records ?? 100_000;
  // As a server runs it (src/server.ts gives V8 32 MB young-generation semi-spaces).
  setFlagsFromString('--max-semi-space-size=32');
  const dir = mkdtempSync(join(tmpdir(), 'sesame-what-if-'));
  const store = await openStore({ dataDir: dir });
  try {
    const { ctx } = await testAccount(store, A);
    await call(ctx, 'CreateUser', { UserName: 'mailer' });
    await call(ctx, 'PutUserPolicy', { UserName: 'mailer', PolicyName: 'Send', PolicyDocument: CURRENT });
    const caller = await userCaller(
      store.db,
      (await findUser(store.db, A, 'mailer'))!,
      'AKIAEXAMPLEKEY000001',
      false,
    );
    await fill(store, n, caller);
    const change = {
      kind: 'inline' as const,
      entity: 'user' as const,
      name: 'mailer',
      policyName: 'Send',
      document: CHANGED,
    };
    const times: number[] = [];
    const cpu: number[] = [];
    let flips = 0;
    for (let r = 0; r < (opts.rounds ?? 3); r++) {
      const t = performance.now();
      const c = process.cpuUsage();
      const run = () => whatIf(store, A, 'us-east-1', change, 7, new Date());
      // SESAME_BENCH_PROFILE_DIR: a CPU profile of the last round's replay only.
      const out =
        profileDir && r === (opts.rounds ?? 3) - 1
          ? (await profileWindow(profileDir, 'what-if', run)).result
          : await run();
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
      if (out.Examined !== n || out.Replayed !== n) throw new Error(`replayed ${out.Replayed} of ${n}`);
      flips = out.AllowedToDenied + out.DeniedToAllowed;
    }
    const cold = times[0]!;
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const median = mid(times);
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      bench: 'policy.what_if',
      records: n,
      flips,
      cold_ms: round(cold),
      median_ms: round(median),
      median_cpu_ms: round(mid(cpu)),
      target_ms: WHAT_IF_TARGET_MS,
      ratio_to_target: Math.round((median / WHAT_IF_TARGET_MS) * 1000) / 1000,
      goals_met: { under_target: cold < WHAT_IF_TARGET_MS && median < WHAT_IF_TARGET_MS },
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { records: { type: 'string' } } });
  const records = values.records ? Number(values.records) : undefined;
  const profileDir = process.env.SESAME_BENCH_PROFILE_DIR;
  process.stdout.write(
    `${JSON.stringify(await runWhatIfBench({ ...(records ? { records } : {}), ...(profileDir ? { profileDir } : {}) }))}\n`,
  );
}
