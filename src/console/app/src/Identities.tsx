import { useState, type FormEvent } from 'react';
import {
  CreateEmailIdentityCommand,
  CreateEmailIdentityPolicyCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailIdentityPolicyCommand,
  GetEmailIdentityCommand,
  GetEmailIdentityPoliciesCommand,
  ListEmailIdentitiesCommand,
  UpdateEmailIdentityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import type { Clients } from './api.js';
import { ListTable, RowButton } from './list-table.js';
import { PolicyForm, prettyJson } from './policy-form.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';
import './iam.css';

export function Identities({
  clients,
  account,
  region,
}: {
  clients: Clients;
  account: string;
  region: string;
}) {
  const list = useLoad(
    async () =>
      (await clients.sesv2.send(new ListEmailIdentitiesCommand({ PageSize: 1000 }))).EmailIdentities ?? [],
    [clients],
  );
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<{ identity: string; view: 'policies' | 'dkim' }>();

  async function create(e: FormEvent) {
    e.preventDefault();
    if (
      await attempt(
        () => clients.sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: name.trim() })),
        setError,
      )
    ) {
      setName('');
      await list.reload();
    }
  }
  async function remove(identity: string) {
    if (!window.confirm(`Delete the identity ${identity}?`)) return;
    if (
      await attempt(
        () => clients.sesv2.send(new DeleteEmailIdentityCommand({ EmailIdentity: identity })),
        setError,
      )
    ) {
      if (selected?.identity === identity) setSelected(undefined);
      await list.reload();
    }
  }

  return (
    <section aria-labelledby="identities-h">
      <h2 id="identities-h">Identities</h2>
      <form onSubmit={create} className="inline">
        <label>
          Email address or domain
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <button type="submit">Create identity</button>
        <button type="button" onClick={() => void list.reload()}>
          Refresh status
        </button>
      </form>
      <ListTable
        rows={list.data}
        loading={list.loading}
        error={error ?? list.error}
        empty="No identities yet."
        rowKey={(i) => i.IdentityName ?? ''}
        open={(i) => i.IdentityName === selected?.identity}
        find={{ noun: 'identities', text: (i) => i.IdentityName ?? '' }}
        columns={[
          { header: 'Identity', cell: (i) => i.IdentityName, sort: (i) => i.IdentityName },
          { header: 'Type', cell: (i) => i.IdentityType, sort: (i) => i.IdentityType },
          { header: 'Verification', cell: (i) => i.VerificationStatus, sort: (i) => i.VerificationStatus },
          {
            header: 'Sending',
            cell: (i) => (i.SendingEnabled ? 'enabled' : 'disabled'),
            sort: (i) => (i.SendingEnabled ? 'enabled' : 'disabled'),
          },
        ]}
        actions={(i) => {
          const identity = i.IdentityName ?? '';
          return (
            <>
              <RowButton
                verb="Policies"
                object={`of ${identity}`}
                onClick={() => setSelected({ identity, view: 'policies' })}
              />
              <RowButton
                verb="DKIM"
                object={`of ${identity}`}
                onClick={() => setSelected({ identity, view: 'dkim' })}
              />
              <RowButton verb="Delete" object={identity} danger onClick={() => void remove(identity)} />
            </>
          );
        }}
      />
      {selected?.view === 'policies' ? (
        <IdentityPolicies
          key={selected.identity}
          clients={clients}
          identity={selected.identity}
          account={account}
          region={region}
        />
      ) : null}
      {selected?.view === 'dkim' ? (
        <Dkim key={selected.identity} clients={clients} identity={selected.identity} />
      ) : null}
    </section>
  );
}

/** A starting point: let this account send as the identity (SES wants the identity's own ARN). */
const template = (identity: string, account: string, region: string): string =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account || '111122223333'}:root` },
          Action: 'ses:SendEmail',
          Resource: `arn:aws:ses:${region}:${account || '111122223333'}:identity/${identity}`,
        },
      ],
    },
    null,
    2,
  );

function IdentityPolicies({
  clients,
  identity,
  account,
  region,
}: {
  clients: Clients;
  identity: string;
  account: string;
  region: string;
}) {
  const policies = useLoad(
    async () =>
      (await clients.sesv2.send(new GetEmailIdentityPoliciesCommand({ EmailIdentity: identity }))).Policies ??
      {},
    [clients, identity],
  );
  const [error, setError] = useState<string>();
  // The document being edited; `n` remounts the form so it takes the loaded text.
  const [editing, setEditing] = useState(() => ({
    n: 0,
    name: '',
    text: template(identity, account, region),
  }));
  const existing = Object.keys(policies.data ?? {});

  async function remove(name: string) {
    if (!window.confirm(`Delete the policy ${name} of ${identity}?`)) return;
    if (
      await attempt(
        () =>
          clients.sesv2.send(
            new DeleteEmailIdentityPolicyCommand({ EmailIdentity: identity, PolicyName: name }),
          ),
        setError,
      )
    )
      await policies.reload();
  }

  return (
    <section aria-labelledby="policies-h" className="panel">
      <h3 id="policies-h">Sending authorization policies of {identity}</h3>
      <ErrorBox error={error ?? policies.error} />
      {policies.data && existing.length === 0 ? <Empty>This identity has no policies.</Empty> : null}
      <ul className="iam-list">
        {existing.map((n) => (
          <li key={n}>
            <button
              type="button"
              onClick={() =>
                setEditing((e) => ({ n: e.n + 1, name: n, text: prettyJson(policies.data?.[n]) }))
              }
            >
              Edit {n}
            </button>{' '}
            <button type="button" onClick={() => void remove(n)}>
              Delete policy {n}
            </button>
          </li>
        ))}
      </ul>
      <PolicyForm
        key={editing.n}
        type="resource"
        initialName={editing.name}
        initialText={editing.text}
        whatIf={{
          clients,
          change: (name, text) => ({
            Operation: existing.includes(name) ? 'UpdateEmailIdentityPolicy' : 'CreateEmailIdentityPolicy',
            EmailIdentity: identity,
            PolicyName: name,
            Policy: text,
          }),
        }}
        onSave={async (name, text) => {
          const input = { EmailIdentity: identity, PolicyName: name, Policy: text };
          if (existing.includes(name)) await clients.sesv2.send(new UpdateEmailIdentityPolicyCommand(input));
          else await clients.sesv2.send(new CreateEmailIdentityPolicyCommand(input));
          await policies.reload();
          return `Saved policy ${name}.`;
        }}
      />
    </section>
  );
}

/** Easy DKIM: status, signing, and the three CNAME records to publish in the domain's DNS. */
function Dkim({ clients, identity }: { clients: Clients; identity: string }) {
  const info = useLoad(
    () => clients.sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: identity })),
    [clients, identity],
  );
  const dkim = info.data?.DkimAttributes;
  const tokens = dkim?.Tokens ?? [];
  const domain = identity.includes('@') ? identity.slice(identity.lastIndexOf('@') + 1) : identity;
  return (
    <section aria-labelledby="dkim-h" className="panel">
      <h3 id="dkim-h">DKIM of {identity}</h3>
      <ErrorBox error={info.error} />
      {info.loading && !info.data ? <p>Loading…</p> : null}
      {info.data ? (
        <>
          <dl>
            <dt>Verified for sending</dt>
            <dd data-testid="verified-for-sending">{info.data.VerifiedForSendingStatus ? 'Yes' : 'No'}</dd>
            <dt>DKIM status</dt>
            <dd data-testid="dkim-status">{dkim?.Status ?? 'NOT_STARTED'}</dd>
            <dt>DKIM signing</dt>
            <dd data-testid="dkim-signing">{dkim?.SigningEnabled ? 'enabled' : 'disabled'}</dd>
          </dl>
          {tokens.length === 0 ? (
            <Empty>
              No DKIM tokens:{' '}
              {identity.includes('@')
                ? `DKIM is set up on the domain ${domain}.`
                : 'Easy DKIM is not set up.'}
            </Empty>
          ) : dkim?.SigningAttributesOrigin === 'EXTERNAL' ? (
            <p data-testid="dkim-records">
              Bring your own DKIM: publish the public key of your key pair as the TXT record{' '}
              <code>
                {tokens[0]}._domainkey.{domain} TXT &quot;p=…&quot;
              </code>
              .
            </p>
          ) : (
            <>
              <p>Publish these CNAME records in the DNS of {domain}:</p>
              <pre className="dkim-records" data-testid="dkim-records">
                {tokens.map((t) => `${t}._domainkey.${domain} CNAME ${t}.dkim.amazonses.com`).join('\n')}
              </pre>
            </>
          )}
        </>
      ) : null}
    </section>
  );
}
