// Issue 19: an operator session grants production access from the console's Account page, through
// POST /sesame/account/production-access; the account's own keys (root's too) never can.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetAccountCommand, PutAccountDetailsCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { ACCOUNT, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import { sesameCall } from '../support/sesame-api.js';
import { testDialects } from '../../src/store/database.js';

const TOKEN = 'operator-token-for-tests-0123456789';
const PATH = '/sesame/account/production-access';

describe.each(testDialects())('production access from an operator session (%s)', (dialect) => {
  let server: TestServer;
  let operator: { accessKeyId: string; secretAccessKey: string; sessionToken: string };

  beforeAll(async () => {
    server = await startTestServer({ SESAME_OPERATOR_TOKEN: TOKEN }, dialect);
    const res = await fetch(`${server.endpoint}/sesame/console/operator-session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ AccountId: ACCOUNT }),
    });
    const body = (await res.json()) as {
      Operator: boolean;
      Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    };
    expect(body.Operator).toBe(true);
    operator = {
      accessKeyId: body.Credentials.AccessKeyId,
      secretAccessKey: body.Credentials.SecretAccessKey,
      sessionToken: body.Credentials.SessionToken,
    };
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the account’s own root key can ask for production access, never grant it', async () => {
    const v2 = new SESv2Client(clientConfig(server, server.credentials));
    await v2.send(
      new PutAccountDetailsCommand({
        MailType: 'TRANSACTIONAL',
        WebsiteURL: 'https://example.com',
        UseCaseDescription: 'Receipts for our shop.',
        ProductionAccessEnabled: true,
      }),
    );
    const r = await sesameCall(server.endpoint, server.credentials, 'POST', PATH, {
      body: { Decision: 'grant' },
    });
    expect([r.status, r.json]).toEqual([
      403,
      {
        __type: 'AccessDeniedException',
        message:
          'Production access is decided by the operator: sign in to the console with the operator token.',
      },
    ]);
    expect((await v2.send(new GetAccountCommand({}))).ProductionAccessEnabled).toBe(false);
    v2.destroy();
  });

  it('an operator session grants it: the account leaves the sandbox with the production quota', async () => {
    const bad = await sesameCall(server.endpoint, operator, 'POST', PATH, { body: { Decision: 'yes' } });
    expect([bad.status, bad.json.message]).toEqual([400, 'Decision must be grant or deny.']);
    const r = await sesameCall(server.endpoint, operator, 'POST', PATH, { body: { Decision: 'grant' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      ProductionAccessEnabled: true,
      ReviewStatus: 'GRANTED',
      MaxSendRate: 14,
      Max24HourSend: 50000,
    });
    const v2 = new SESv2Client(clientConfig(server, server.credentials));
    const account = await v2.send(new GetAccountCommand({}));
    expect(account.ProductionAccessEnabled).toBe(true);
    expect(account.Details?.ReviewDetails?.Status).toBe('GRANTED');
    expect(account.SendQuota?.MaxSendRate).toBe(14);
    v2.destroy();
  });
});
