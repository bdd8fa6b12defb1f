import { GetAccountCommand } from '@aws-sdk/client-sesv2';
import type { Clients } from './api.js';
import { ErrorBox, useLoad } from './ui.js';

export function Account({ clients, region }: { clients: Clients; region: string }) {
  const acct = useLoad(() => clients.sesv2.send(new GetAccountCommand({})), [clients]);
  const a = acct.data;
  return (
    <section aria-labelledby="account-h">
      <h2 id="account-h">SES account ({region})</h2>
      <ErrorBox error={acct.error} />
      {a ? (
        <dl>
          <dt>Sandbox</dt>
          <dd data-testid="sandbox">
            {a.ProductionAccessEnabled ? 'No (production access)' : 'Yes (sandbox)'}
          </dd>
          <dt>Sending</dt>
          <dd>{a.SendingEnabled ? 'enabled' : 'disabled'}</dd>
          <dt>Enforcement status</dt>
          <dd>{a.EnforcementStatus}</dd>
          <dt>Maximum per 24 hours</dt>
          <dd>{a.SendQuota?.Max24HourSend}</dd>
          <dt>Maximum send rate (per second)</dt>
          <dd>{a.SendQuota?.MaxSendRate}</dd>
          <dt>Sent in the last 24 hours</dt>
          <dd>{a.SendQuota?.SentLast24Hours}</dd>
          {a.Details?.ReviewDetails?.Status ? (
            <>
              <dt>Production access review</dt>
              <dd>{a.Details.ReviewDetails.Status}</dd>
            </>
          ) : null}
        </dl>
      ) : acct.loading ? (
        <p>Loading…</p>
      ) : null}
    </section>
  );
}
