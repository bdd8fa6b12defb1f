import { useState, type FormEvent } from 'react';
import {
  CreateEmailIdentityCommand,
  CreateEmailIdentityPolicyCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailIdentityPolicyCommand,
  GetEmailIdentityPoliciesCommand,
  ListEmailIdentitiesCommand,
  UpdateEmailIdentityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import type { Clients } from './api.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';

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
  const [selected, setSelected] = useState<string>();

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
      if (selected === identity) setSelected(undefined);
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
      </form>
      <ErrorBox error={error ?? list.error} />
      {list.loading && !list.data ? <p>Loading…</p> : null}
      {list.data && list.data.length === 0 ? <Empty>No identities yet.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Identity</th>
              <th>Type</th>
              <th>Verification</th>
              <th>Sending</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((i) => (
              <tr key={i.IdentityName}>
                <td>{i.IdentityName}</td>
                <td>{i.IdentityType}</td>
                <td>{i.VerificationStatus}</td>
                <td>{i.SendingEnabled ? 'enabled' : 'disabled'}</td>
                <td>
                  <button type="button" onClick={() => setSelected(i.IdentityName)}>
                    Policies of {i.IdentityName}
                  </button>{' '}
                  <button type="button" onClick={() => void remove(i.IdentityName ?? '')}>
                    Delete {i.IdentityName}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {selected ? (
        <IdentityPolicies
          key={selected}
          clients={clients}
          identity={selected}
          account={account}
          region={region}
        />
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
  const [policyName, setPolicyName] = useState('');
  const [text, setText] = useState(() => template(identity, account, region));
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const existing = Object.keys(policies.data ?? {});

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaved(undefined);
    const input = { EmailIdentity: identity, PolicyName: policyName.trim(), Policy: text };
    const ok = await attempt(
      () =>
        existing.includes(input.PolicyName)
          ? clients.sesv2.send(new UpdateEmailIdentityPolicyCommand(input))
          : clients.sesv2.send(new CreateEmailIdentityPolicyCommand(input)),
      setError,
    );
    if (ok) {
      setSaved(`Saved policy ${input.PolicyName}.`);
      await policies.reload();
    }
  }
  async function remove(name: string) {
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
      <ErrorBox error={policies.error} />
      {policies.data && existing.length === 0 ? <Empty>This identity has no policies.</Empty> : null}
      <ul>
        {existing.map((n) => (
          <li key={n}>
            <button
              type="button"
              onClick={() => {
                setPolicyName(n);
                setText(JSON.stringify(JSON.parse(policies.data?.[n] ?? '{}'), null, 2));
              }}
            >
              Edit {n}
            </button>{' '}
            <button type="button" onClick={() => void remove(n)}>
              Delete policy {n}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={save}>
        <label>
          Policy name
          <input value={policyName} onChange={(e) => setPolicyName(e.target.value)} required />
        </label>
        <label>
          Policy document (JSON)
          <textarea
            className="code"
            rows={14}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
          />
        </label>
        <button type="submit">Save policy</button>
      </form>
      <ErrorBox error={error} />
      {saved ? <p role="status">{saved}</p> : null}
    </section>
  );
}
