// Diagnosis: how many SQL statements one SES v2 SendEmail runs in Sesame, and which. Counts
// executions of better-sqlite3 statements (run/get/all/iterate) over N sends, by SQL text.
//
//   npx tsx bench/support/diag-queries.ts [N]
import BetterSqlite3 from 'better-sqlite3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { startSesameTarget } from './sesame-target.js';
import { FROM, REGION, TO } from './workload.js';

const n = Number(process.argv[2] ?? 50);
const counts = new Map<string, number>();
let on = false;
// Statements are cached by the store, so count executions on Statement's prototype, not prepare().
const statementProto = Object.getPrototypeOf(new BetterSqlite3(':memory:').prepare('select 1')) as Record<
  string,
  (...a: unknown[]) => unknown
>;
for (const method of ['run', 'get', 'all', 'iterate']) {
  const original = statementProto[method]!;
  statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
    if (on) counts.set(this.source, (counts.get(this.source) ?? 0) + 1);
    return original.apply(this, args);
  };
}
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
  console.log(`${(total / n).toFixed(2)} statements executed per SendEmail`);
} finally {
  await target.stop();
}
