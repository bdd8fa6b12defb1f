// The Bounce action sends a DSN From its Sender to whatever envelope sender the received message
// named. It took any Sender: an account could have Sesame send mail From an address it does not own
// (another account's, anyone's) to an address of its choosing, with its own text, outside the
// sandbox and the quotas. The Sender must now be an identity the account has verified, as SES asks
// of SendBounce's BounceSender; otherwise the action fails (PublishFailure) and nothing is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIdentity } from '../ses/state/identities.js';
import { insertRuleSet, setActiveRuleSet } from '../ses/receiving/rule-sets.js';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import type { ActionEnv } from './actions.js';
import { receiveMessage, type ReceiveDeps } from './receive.js';
import type { TraceEntry } from './run.js';
import { startInboundWorker } from './worker.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const REGION = 'us-east-1';
const RAW = Buffer.from('From: a@sender.example\r\nTo: b@in.example\r\nSubject: s\r\n\r\nbody\r\n');

describe.each(testDialects())('Bounce action Sender (%s)', (dialect) => {
  let store: Store;
  let deps: ReceiveDeps;
  const env: ActionEnv = {
    subscribers: new Map(),
    functions: new Map(),
    signingKey: Buffer.alloc(32, 1),
    lambdaTimeoutMs: 30_000,
    wakeDelivery: () => {},
    mayUseBucket: () => true,
  };

  beforeAll(async () => {
    store = await openTestStore(dialect);
    deps = {
      store,
      region: REGION,
      resolve: () => Promise.reject(Object.assign(new Error('no DNS here'), { code: 'ENOTFOUND' })),
      scanners: {},
      now: () => new Date(),
    };
    const now = new Date();
    const verified = (accountId: string, identity: string, type: 'Domain' | 'EmailAddress') =>
      insertIdentity(store, accountId, REGION, { identity, type, status: 'Success', now });
    await verified(ACCOUNT, 'in.example', 'Domain');
    // Another account's verified address, and one nobody has verified.
    await verified(OTHER, 'ceo@bank.example', 'EmailAddress');
    const bounce = (name: string, sender: string) => ({
      Name: name,
      Enabled: true,
      TlsPolicy: 'Optional' as const,
      Recipients: [`${name}@in.example`],
      ScanEnabled: false,
      Actions: [
        { BounceAction: { SmtpReplyCode: '550', Message: 'Please wire the money.', Sender: sender } },
      ],
    });
    await insertRuleSet(
      store,
      { accountId: ACCOUNT, region: REGION },
      'set',
      [
        bounce('own', 'mailer-daemon@in.example'),
        bounce('other', 'ceo@bank.example'),
        bounce('nobody', 'ceo@nobody.example'),
      ],
      now,
    );
    await setActiveRuleSet(store, { accountId: ACCOUNT, region: REGION }, 'set');
  });
  afterAll(async () => store.close());

  it('sends the DSN From a verified identity only', async () => {
    const worker = startInboundWorker({
      store,
      env,
      log: { warn() {}, error() {}, debug() {} },
      concurrency: 2,
    });
    try {
      const ids: Record<string, string> = {};
      for (const local of ['own', 'other', 'nobody']) {
        const [received] = await receiveMessage(
          deps,
          {
            mailFrom: 'victim@target.example',
            recipients: [`${local}@in.example`],
            ip: '192.0.2.1',
            helo: 'mx.sender.example',
            secure: false,
          },
          RAW,
        );
        ids[local] = received!.messageId;
      }
      const outcome = async (id: string) => {
        for (let i = 0; i < 400; i++) {
          const row = await store.db
            .selectFrom('inbound_messages')
            .select(['status', 'trace'])
            .where('message_id', '=', id)
            .executeTakeFirstOrThrow();
          if (row.status === 'done') {
            const action = (JSON.parse(row.trace) as TraceEntry[]).find((e) => e.event === 'Action')!;
            return [action.outcome, action.detail];
          }
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`message ${id} never done`);
      };
      expect(await outcome(ids.own!)).toEqual(['PublishSuccess', 'bounce to victim@target.example']);
      expect(await outcome(ids.other!)).toEqual([
        'PublishFailure',
        'The bounce Sender ceo@bank.example is not an identity this account has verified.',
      ]);
      expect(await outcome(ids.nobody!)).toEqual([
        'PublishFailure',
        'The bounce Sender ceo@nobody.example is not an identity this account has verified.',
      ]);
      const dsns = await store.db
        .selectFrom('outbox')
        .select(['source', 'recipients'])
        .where('operation', '=', 'ReceiptRuleBounce')
        .execute();
      expect(dsns).toEqual([{ source: 'mailer-daemon@in.example', recipients: '["victim@target.example"]' }]);
    } finally {
      await worker.stop();
    }
  }, 30_000);
});
