// The capture loop's two paths: mail a receipt rule here takes is captured, then received
// (`deliver`); all other mail is captured with its attempt's settle (`asWrite`), as the server's
// transport is always the loop around capture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_RESPONSE, captureTransport } from '../delivery/transports/capture.js';
import type { OutgoingMessage, Transport } from '../delivery/transports/types.js';
import { insertRuleSet, setActiveRuleSet } from '../ses/receiving/rule-sets.js';
import { insertIdentity } from '../ses/state/identities.js';
import { openTestStore, type Store } from '../store/database.js';
import { withLoopbackReceiving } from './loopback.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

describe('capture loop (loopback receiving)', () => {
  let store: Store;
  let transport: Transport;
  beforeAll(async () => {
    store = await openTestStore();
    const now = new Date();
    await insertIdentity(store, ACCOUNT, REGION, {
      identity: 'in.example',
      type: 'Domain',
      status: 'Success',
      now,
    });
    const rule = {
      Name: 'keep',
      Enabled: true,
      TlsPolicy: 'Optional' as const,
      Recipients: [],
      ScanEnabled: false,
      Actions: [{ AddHeaderAction: { HeaderName: 'X-Kept', HeaderValue: 'yes' } }],
    };
    await insertRuleSet(store, { accountId: ACCOUNT, region: REGION }, 'set', [rule], now);
    await setActiveRuleSet(store, { accountId: ACCOUNT, region: REGION }, 'set');
    transport = withLoopbackReceiving(captureTransport(store), {
      store,
      region: REGION,
      resolve: () => Promise.reject(Object.assign(new Error('no DNS here'), { code: 'ENOTFOUND' })),
      scanners: {},
      now: () => new Date(),
    });
  });
  afterAll(async () => store.close());

  const message = (recipients: string[]): OutgoingMessage => ({
    messageId: `0100019${recipients.length}-loop`,
    accountId: ACCOUNT,
    region: REGION,
    principalArn: `arn:aws:iam::${ACCOUNT}:root`,
    mailFrom: 'bounce@amazonses.com',
    recipients,
    raw: Buffer.from('From: a@sender.example\r\nSubject: s\r\n\r\nbody\r\n'),
    createdAt: new Date(),
  });

  it('captures mail no receipt rule here takes with the settle of its attempt', async () => {
    const write = await transport.deliver.asWrite!(message(['x@elsewhere.example']));
    expect(write?.outcomes).toEqual([
      { recipient: 'x@elsewhere.example', kind: 'delivered', smtpResponse: CAPTURE_RESPONSE },
    ]);
  });

  it('leaves mail a receipt rule takes to deliver, which captures and receives it', async () => {
    const m = message(['x@elsewhere.example', 'b@in.example']);
    expect(await transport.deliver.asWrite!(m)).toBeUndefined();
    await transport.deliver(m);
    const received = await store.db.selectFrom('inbound_messages').select('recipients').execute();
    expect(received.map((r) => JSON.parse(r.recipients) as string[])).toEqual([['b@in.example']]);
  });
});
