// Child process of crash.test.ts: a whole Sesame on a SQLite data folder. `receive PORT HOOK`
// receives on PORT (its rule runs AddHeader and a Lambda Event action POSTed to HOOK) until the
// parent kills it; `drain HOOK` restarts on the same folder and runs what is left, then exits.
import { loadConfig } from '../config/config.js';
import { insertIdentity } from '../ses/state/identities.js';
import { insertRuleSet, setActiveRuleSet } from '../ses/receiving/rule-sets.js';
import { startServer } from '../server.js';

const [dataDir, mode, a, b] = process.argv.slice(2);
if (!dataDir || (mode !== 'receive' && mode !== 'drain'))
  throw new Error('usage: crash-child DIR receive PORT HOOK | drain HOOK');
const hook = mode === 'receive' ? b! : a!;
const ACCOUNT = '111122223333';
const FN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:on-mail`;
const config = loadConfig({
  SESAME_DATA_DIR: dataDir,
  SESAME_HTTP_PORT: '0',
  SESAME_SMTP_PORT: '0',
  SESAME_SMTPS_PORT: '0',
  SESAME_INBOUND_SMTP_PORT: mode === 'receive' ? a! : '0',
  SESAME_ACCOUNT_ID: ACCOUNT,
  SESAME_LAMBDA_FUNCTIONS: `${FN}=${hook}`,
  // Nothing answers there: verdict lookups fail at once (no network in tests).
  SESAME_DNS_SERVERS: '127.0.0.1:1',
  SESAME_LOG_LEVEL: 'error',
});
const server = await startServer(config, { quiet: true });
const store = server.app.store;

if (mode === 'receive') {
  const scope = { accountId: ACCOUNT, region: 'us-east-1' };
  const now = new Date();
  await insertIdentity(store, ACCOUNT, 'us-east-1', {
    identity: 'in.example',
    type: 'Domain',
    status: 'Success',
    now,
  });
  const rule = {
    Name: 'all',
    Enabled: true,
    TlsPolicy: 'Optional' as const,
    Recipients: [],
    ScanEnabled: false,
    Actions: [
      { AddHeaderAction: { HeaderName: 'X-Seen', HeaderValue: 'yes' } },
      { LambdaAction: { FunctionArn: FN, InvocationType: 'Event' as const } },
    ],
  };
  await insertRuleSet(store, scope, 'set', [rule], now);
  await setActiveRuleSet(store, scope, 'set');
  process.stdout.write(`READY ${server.inboundSmtp}\n`);
  await new Promise(() => {}); // receive until killed
} else {
  // The killed process's leases would run out after their 5 minutes: let that time pass at once
  // (the worker's own reclaim then puts those messages back where they stopped).
  await store.db
    .updateTable('inbound_messages')
    .set({ lease_until: 0 })
    .where('status', '=', 'running')
    .execute();
  for (;;) {
    const left = await store.db
      .selectFrom('inbound_messages')
      .select('message_id')
      .where('status', '!=', 'done')
      .limit(1)
      .execute();
    const unposted = await store.db
      .selectFrom('event_publications')
      .select('publication_id')
      .limit(1)
      .execute();
    if (left.length === 0 && unposted.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await server.stop();
  process.stdout.write('DRAINED\n');
}
