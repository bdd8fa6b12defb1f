// Diagnosis: how many SQL statements one SES v2 SendEmail runs in Sesame, and which. Counts
// executions of better-sqlite3 statements (run/get/all/iterate) over N sends, by SQL text.
//
//   npx tsx bench/support/diag-queries.ts [N]
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { startSesameTarget } from './sesame-target.js';
import { watchSqliteStatements } from './sqlite-statements.js';
import { FROM, REGION, TO } from './workload.js';

const n = Number(process.argv[2] ?? 50);
const statements = watchSqliteStatements();
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
  statements.start();
  for (let i = 0; i < n; i++) await client.send(cmd);
  statements.stop();
  let total = 0;
  for (const [sql, { calls }] of statements.tallies().sort((a, b) => b[1].calls - a[1].calls)) {
    total += calls;
    console.log(`${(calls / n).toFixed(2).padStart(6)} per send  ${sql.slice(0, 220)}`);
  }
  console.log(`${(total / n).toFixed(2)} statements executed per SendEmail`);
} finally {
  await target.stop();
}
