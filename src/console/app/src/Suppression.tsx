// The account-level suppression list (SES v2): which reasons add addresses automatically, the list
// itself paged on the server (NextToken) and filtered by reason, adding, details and removal.
import { useState, type FormEvent } from 'react';
import {
  DeleteSuppressedDestinationCommand,
  GetAccountCommand,
  GetSuppressedDestinationCommand,
  ListSuppressedDestinationsCommand,
  PutAccountSuppressionAttributesCommand,
  PutSuppressedDestinationCommand,
  type SuppressedDestination,
  type SuppressionListReason,
} from '@aws-sdk/client-sesv2';
import type { Clients } from './api.js';
import { ListTable, RowButton, useTokenPages } from './list-table.js';
import { attempt, ErrorBox, useLoad } from './ui.js';
import './account.css';

const REASONS: SuppressionListReason[] = ['BOUNCE', 'COMPLAINT'];
const PAGE_SIZE = 50;

export function Suppression({ clients, region }: { clients: Clients; region: string }) {
  const [status, setStatus] = useState<string>();
  return (
    <section aria-labelledby="suppression-h" className="account">
      <h2 id="suppression-h">Suppression list ({region})</h2>
      {status ? <p role="status">{status}</p> : null}
      <AccountReasons clients={clients} onSaved={setStatus} />
      <SuppressedList clients={clients} onStatus={setStatus} />
    </section>
  );
}

function AccountReasons({ clients, onSaved }: { clients: Clients; onSaved: (s: string) => void }) {
  const acct = useLoad(() => clients.sesv2.send(new GetAccountCommand({})), [clients]);
  const [chosen, setChosen] = useState<Set<SuppressionListReason>>();
  const [error, setError] = useState<string>();
  const current = new Set(acct.data?.SuppressionAttributes?.SuppressedReasons ?? []);
  const shown = chosen ?? current;

  async function save(e: FormEvent) {
    e.preventDefault();
    const reasons = REASONS.filter((r) => shown.has(r));
    if (
      await attempt(
        () => clients.sesv2.send(new PutAccountSuppressionAttributesCommand({ SuppressedReasons: reasons })),
        setError,
      )
    ) {
      onSaved(`Addresses are now added automatically for: ${reasons.join(', ') || 'no reason'}.`);
      setChosen(undefined);
      await acct.reload();
    }
  }

  return (
    <form className="panel" onSubmit={save} aria-labelledby="reasons-h">
      <h3 id="reasons-h">Add to the list automatically</h3>
      <ErrorBox error={acct.error} />
      <fieldset>
        <legend>Reasons (account level)</legend>
        {REASONS.map((r) => (
          <label key={r} className="radio">
            <input
              type="checkbox"
              checked={shown.has(r)}
              disabled={!acct.data}
              onChange={(e) => {
                const next = new Set(shown);
                if (e.target.checked) next.add(r);
                else next.delete(r);
                setChosen(next);
              }}
            />
            {r === 'BOUNCE' ? 'Hard bounces (BOUNCE)' : 'Complaints (COMPLAINT)'}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={!acct.data || !chosen}>
        Save reasons
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function SuppressedList({ clients, onStatus }: { clients: Clients; onStatus: (s: string) => void }) {
  const [reason, setReason] = useState<SuppressionListReason | ''>('');
  const pages = useTokenPages();
  const [version, setVersion] = useState(0);
  const token = pages.token;
  const list = useLoad(
    () =>
      clients.sesv2.send(
        new ListSuppressedDestinationsCommand({
          ...(reason ? { Reasons: [reason] } : {}),
          PageSize: PAGE_SIZE,
          NextToken: token,
        }),
      ),
    [clients, reason, token, version],
  );
  const [address, setAddress] = useState('');
  const [addReason, setAddReason] = useState<SuppressionListReason>('BOUNCE');
  const [error, setError] = useState<string>();
  const [details, setDetails] = useState<SuppressedDestination>();
  const [confirming, setConfirming] = useState<string>();
  const refresh = () => setVersion((v) => v + 1);

  async function add(e: FormEvent) {
    e.preventDefault();
    const email = address.trim();
    if (
      await attempt(
        () =>
          clients.sesv2.send(new PutSuppressedDestinationCommand({ EmailAddress: email, Reason: addReason })),
        setError,
      )
    ) {
      onStatus(`Added ${email} to the suppression list (${addReason}).`);
      setAddress('');
      refresh();
    }
  }

  async function show(email: string) {
    setDetails(undefined);
    await attempt(async () => {
      const out = await clients.sesv2.send(new GetSuppressedDestinationCommand({ EmailAddress: email }));
      setDetails(out.SuppressedDestination);
    }, setError);
  }

  async function remove(email: string) {
    setConfirming(undefined);
    if (
      await attempt(
        () => clients.sesv2.send(new DeleteSuppressedDestinationCommand({ EmailAddress: email })),
        setError,
      )
    ) {
      onStatus(`Removed ${email} from the suppression list.`);
      if (details?.EmailAddress === email) setDetails(undefined);
      refresh();
    }
  }

  return (
    <>
      <form className="panel inline" onSubmit={add} aria-labelledby="add-h" noValidate>
        <h3 id="add-h" className="full">
          Add an address
        </h3>
        <label>
          Email address
          <input type="email" value={address} onChange={(e) => setAddress(e.target.value)} />
        </label>
        <label>
          Reason
          <select value={addReason} onChange={(e) => setAddReason(e.target.value as SuppressionListReason)}>
            {REASONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit">Add to suppression list</button>
      </form>
      <ErrorBox error={error} />
      <section aria-labelledby="list-h">
        <h3 id="list-h">Suppressed addresses</h3>
        <label className="narrow">
          Filter by reason
          <select
            value={reason}
            onChange={(e) => {
              setReason(e.target.value as SuppressionListReason | '');
              pages.reset();
            }}
          >
            <option value="">Any reason</option>
            {REASONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <ListTable
          rows={list.data && (list.data.SuppressedDestinationSummaries ?? [])}
          loading={list.loading}
          error={list.error}
          empty={reason ? `No address is suppressed for ${reason}.` : 'The suppression list is empty.'}
          testId="suppressed"
          pager={pages.pager('Suppression list pages', list.data?.NextToken)}
          rowKey={(r) => r.EmailAddress ?? ''}
          columns={[
            { header: 'Email address', cell: (r) => r.EmailAddress, className: 'mono' },
            { header: 'Reason', cell: (r) => r.Reason },
            { header: 'Last updated', cell: (r) => r.LastUpdateTime?.toISOString() },
          ]}
          actions={(r) => {
            const email = r.EmailAddress!;
            return (
              <>
                <RowButton verb="Details" object={`of ${email}`} onClick={() => void show(email)} />
                {confirming === email ? (
                  <>
                    <RowButton
                      verb="Confirm removal"
                      object={`of ${email}`}
                      danger
                      onClick={() => void remove(email)}
                    />
                    <button type="button" onClick={() => setConfirming(undefined)}>
                      Cancel
                    </button>
                  </>
                ) : (
                  <RowButton verb="Remove" object={email} onClick={() => setConfirming(email)} />
                )}
              </>
            );
          }}
        />
      </section>
      {details ? (
        <section className="panel" aria-labelledby="details-h" data-testid="suppression-details">
          <h3 id="details-h">{details.EmailAddress}</h3>
          <dl>
            <dt>Reason</dt>
            <dd>{details.Reason}</dd>
            <dt>Last updated</dt>
            <dd>{details.LastUpdateTime?.toISOString()}</dd>
            <dt>Message ID</dt>
            <dd className="mono">{details.Attributes?.MessageId ?? '—'}</dd>
            <dt>Feedback ID</dt>
            <dd className="mono">{details.Attributes?.FeedbackId ?? '—'}</dd>
          </dl>
          <button type="button" onClick={() => setDetails(undefined)}>
            Close details
          </button>
        </section>
      ) : null}
    </>
  );
}
