// The SES account in this region: sandbox or production, the production-access request (v2
// PutAccountDetails, errors exactly as the API answers them), quota and send rate, and sending
// statistics as a chart.
import { useState, type FormEvent } from 'react';
import {
  GetAccountCommand,
  PutAccountDetailsCommand,
  type ContactLanguage,
  type MailType,
} from '@aws-sdk/client-sesv2';
import type { Clients } from './api.js';
import { SendingStatistics } from './Statistics.js';
import { OperatorDecision } from './account-operator.js';
import { attempt, ErrorBox, useLoad } from './ui.js';
import './account.css';

export function Account({
  clients,
  region,
  operator = false,
}: {
  clients: Clients;
  region: string;
  /** An operator session: it may decide production access here. */
  operator?: boolean;
}) {
  const acct = useLoad(() => clients.sesv2.send(new GetAccountCommand({})), [clients]);
  const a = acct.data;
  const review = a?.Details?.ReviewDetails;
  const quota = a?.SendQuota;
  const used =
    quota && quota.Max24HourSend && quota.Max24HourSend > 0
      ? Math.min(1, (quota.SentLast24Hours ?? 0) / quota.Max24HourSend)
      : undefined;
  return (
    <section aria-labelledby="account-h" className="account">
      <h2 id="account-h">SES account ({region})</h2>
      <ErrorBox error={acct.error} />
      {acct.loading && !a ? <p>Loading…</p> : null}
      {a ? (
        <div className="account-grid">
          <section aria-labelledby="status-h" className="panel">
            <h3 id="status-h">Status</h3>
            <dl>
              <dt>Sandbox</dt>
              <dd data-testid="sandbox">
                {a.ProductionAccessEnabled ? 'No (production access)' : 'Yes (sandbox)'}
              </dd>
              <dt>Sending</dt>
              <dd>{a.SendingEnabled ? 'enabled' : 'disabled'}</dd>
              <dt>Enforcement status</dt>
              <dd>{a.EnforcementStatus}</dd>
              <dt>Production access review</dt>
              <dd data-testid="review-status">{review?.Status ?? 'not requested'}</dd>
              {review?.CaseId ? (
                <>
                  <dt>Case ID</dt>
                  <dd className="mono">{review.CaseId}</dd>
                </>
              ) : null}
            </dl>
          </section>
          <section aria-labelledby="quota-h" className="panel">
            <h3 id="quota-h">Quota and send rate</h3>
            <dl>
              <dt>Maximum per 24 hours</dt>
              <dd data-testid="max-24-hour-send">{fmt(quota?.Max24HourSend)}</dd>
              <dt>Maximum send rate</dt>
              <dd data-testid="max-send-rate">{fmt(quota?.MaxSendRate)} per second</dd>
              <dt>Sent in the last 24 hours</dt>
              <dd data-testid="sent-last-24-hours">{fmt(quota?.SentLast24Hours)}</dd>
            </dl>
            {used !== undefined ? (
              <label className="meter">
                Daily quota used: {Math.round(used * 100)}%
                <meter min={0} max={1} value={used} low={0.7} high={0.9} optimum={0} />
              </label>
            ) : null}
          </section>
        </div>
      ) : null}
      {a && operator && !a.ProductionAccessEnabled ? (
        <OperatorDecision clients={clients} status={review?.Status} onDecided={acct.reload} />
      ) : null}
      {a ? (
        <ProductionAccess
          clients={clients}
          production={a.ProductionAccessEnabled === true}
          status={review?.Status}
          onSubmitted={acct.reload}
        />
      ) : null}
      <SendingStatistics clients={clients} region={region} />
    </section>
  );
}

const fmt = (n: number | undefined) =>
  n === undefined ? '—' : n < 0 ? 'unlimited' : n.toLocaleString(undefined, { maximumFractionDigits: 2 });

function ProductionAccess({
  clients,
  production,
  status,
  onSubmitted,
}: {
  clients: Clients;
  production: boolean;
  status: string | undefined;
  onSubmitted: () => Promise<void>;
}) {
  const [mailType, setMailType] = useState<MailType | ''>('');
  const [website, setWebsite] = useState('');
  const [useCase, setUseCase] = useState('');
  const [contacts, setContacts] = useState('');
  const [language, setLanguage] = useState<ContactLanguage>('EN');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (production)
    return (
      <section aria-labelledby="prod-h" className="panel">
        <h3 id="prod-h">Production access</h3>
        <p>This account has production access in this region: it may send to any address.</p>
      </section>
    );

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setDone(undefined);
    const emails = contacts
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    // Empty fields are left out, so the API (not the browser) says what is missing or wrong.
    const ok = await attempt(
      () =>
        clients.sesv2.send(
          new PutAccountDetailsCommand({
            MailType: (mailType || undefined) as MailType,
            WebsiteURL: website.trim() || (undefined as unknown as string),
            UseCaseDescription: useCase.trim() || undefined,
            ContactLanguage: language,
            ...(emails.length ? { AdditionalContactEmailAddresses: emails } : {}),
            ProductionAccessEnabled: true,
          }),
        ),
      setError,
    );
    setBusy(false);
    if (ok) {
      setDone('Your request for production access was submitted for review.');
      await onSubmitted();
    }
  }

  return (
    <section aria-labelledby="prod-h" className="panel">
      <h3 id="prod-h">Production access</h3>
      <p>
        New accounts are in the sandbox: they send only to verified identities and the mailbox simulator, at
        most 200 messages a day.
      </p>
      {done ? <p role="status">{done}</p> : null}
      {status === 'PENDING' ? (
        <p>Your request is under review. An operator decides it (sesame admin account production).</p>
      ) : (
        <form onSubmit={submit} noValidate className="request">
          <fieldset>
            <legend>Mail type</legend>
            {(['TRANSACTIONAL', 'MARKETING'] as const).map((t) => (
              <label key={t} className="radio">
                <input
                  type="radio"
                  name="mailType"
                  value={t}
                  checked={mailType === t}
                  onChange={() => setMailType(t)}
                />
                {t === 'TRANSACTIONAL' ? 'Transactional' : 'Marketing'}
              </label>
            ))}
          </fieldset>
          <label>
            Website URL
            <input type="url" value={website} onChange={(e) => setWebsite(e.target.value)} />
          </label>
          <label>
            Use case description
            <textarea
              rows={4}
              maxLength={5000}
              value={useCase}
              onChange={(e) => setUseCase(e.target.value)}
            />
          </label>
          <label>
            Additional contact email addresses (up to 4, separated by commas)
            <input value={contacts} onChange={(e) => setContacts(e.target.value)} />
          </label>
          <label>
            Contact language
            <select value={language} onChange={(e) => setLanguage(e.target.value as ContactLanguage)}>
              <option value="EN">English</option>
              <option value="JA">Japanese</option>
            </select>
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Submitting…' : 'Request production access'}
          </button>
          <ErrorBox error={error} />
        </form>
      )}
    </section>
  );
}
