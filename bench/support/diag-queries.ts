// Diagnosis: how many SQL statements one SES v2 SendEmail runs in Sesame, and which. Counts
// better-sqlite3 prepare() calls (Kysely prepares every statement it runs) over N sends.
//
//   npx tsx bench/support/diag-queries.ts [N]
import BetterSqlite3 from 'better-sqlite3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { startSesameTarget } from './sesame-target.js';
import { FROM, REGION, TO } from './workload.js';

const n = Number(process.argv[2] ?? 50);
const counts = new Map<string, number>();
const proto = (BetterSqlite3 as unknown as { prototype: { prepare: (sql: string) => unknown } }).prototype;
const prepare = proto.prepare;
let on = false;
proto.prepare = function (this: unknown, sql: string) {
  if (on) counts.set(sql, (counts.get(sql) ?? 0) + 1);
  return prepare.call(this, sql);
};
const target = await startSesameTarget();
try {
  const client = new SESv2Client({
    endpoint: target.endpoint,
    region: REGION,
    credentials: target.credentials!,
    maxAttempts: 1,
  });
  const cmd = new SendEmailCommand({
    FromEmailAddress: FROM,
    Destination: { ToAddresses: [TO] },
    Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
  });
  await client.send(cmd);
  on = true;
  for (let i = 0; i < n; i++) await client.send(cmd);
  on = false;
  let total = 0;
  for (const [sql, c] of [...counts].sort((a, b) => b[1] - a[1])) {
    total += c;
    console.log(`${(c / n).toFixed(2).padStart(6)} per send  ${sql.slice(0, 220)}`);
  }
  console.log(`${(total / n).toFixed(2)} statements prepared per SendEmail`);
} finally {
  await target.stop();
}
