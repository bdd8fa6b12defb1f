// The AWS managed policies every account has: found by name, read (the default version's document)
// and where this account uses them. They are AWS's: nothing here writes them; a user, group or role
// page attaches them.
import { useState } from 'react';
import { GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { EntityList, entitiesFor } from './iam-policy-detail.js';
import { allPolicies, type PolicyScope } from './policy-list.js';
import { prettyDocument } from './policy-form.js';
import { Empty, ErrorBox, useLoad } from './ui.js';

const SHOWN = 50;

/** The policies page's choice: the account's own policies, or AWS's. */
export function ScopeSwitch({ scope, onChange }: { scope: PolicyScope; onChange: (s: PolicyScope) => void }) {
  return (
    <fieldset>
      <legend>Show</legend>
      <label className="radio">
        <input
          type="radio"
          name="policy-scope"
          checked={scope === 'Local'}
          onChange={() => onChange('Local')}
        />
        Customer managed policies
      </label>
      <label className="radio">
        <input type="radio" name="policy-scope" checked={scope === 'AWS'} onChange={() => onChange('AWS')} />
        AWS managed policies
      </label>
    </fieldset>
  );
}

export function AwsManagedPolicies({ clients }: { clients: Clients }) {
  const list = useLoad(() => allPolicies(clients.iam, 'AWS'), [clients]);
  const [filter, setFilter] = useState('');
  const [attachedOnly, setAttachedOnly] = useState(false);
  const [selected, setSelected] = useState<string>();
  const needle = filter.trim().toLowerCase();
  const matches = (list.data ?? []).filter(
    (p) =>
      (!attachedOnly || (p.AttachmentCount ?? 0) + (p.PermissionsBoundaryUsageCount ?? 0) > 0) &&
      (p.PolicyName ?? '').toLowerCase().includes(needle),
  );
  const chosen = list.data?.find((p) => p.Arn === selected);

  return (
    <section aria-label="AWS managed policies">
      <p>Policies AWS maintains; every account can attach them, none can change them.</p>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <label>
          Filter by name
          <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="AmazonSES" />
        </label>
        <label className="radio">
          <input type="checkbox" checked={attachedOnly} onChange={(e) => setAttachedOnly(e.target.checked)} />
          Used in this account only
        </label>
        <button type="button" onClick={() => void list.reload()}>
          Refresh
        </button>
      </form>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? <p>Loading…</p> : null}
      {list.data && matches.length === 0 ? <Empty>No AWS managed policy matches.</Empty> : null}
      {matches.length > 0 ? (
        <>
          <p data-testid="aws-policy-count">
            {matches.length > SHOWN
              ? `${SHOWN} of ${matches.length} matching policies shown: narrow the filter to see the others.`
              : `${matches.length} matching ${matches.length === 1 ? 'policy' : 'policies'}.`}
          </p>
          <div className="iam-table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Policy</th>
                  <th>Path</th>
                  <th>Default version</th>
                  <th>Attachments</th>
                </tr>
              </thead>
              <tbody>
                {matches.slice(0, SHOWN).map((p) => (
                  <tr key={p.Arn}>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-expanded={selected === p.Arn}
                        onClick={() => setSelected(selected === p.Arn ? undefined : p.Arn)}
                      >
                        {p.PolicyName}
                      </button>
                    </td>
                    <td className="mono">{p.Path}</td>
                    <td>{p.DefaultVersionId}</td>
                    <td data-testid="aws-attachment-count">{p.AttachmentCount ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {chosen?.Arn ? (
        <AwsPolicyDetail
          key={chosen.Arn}
          clients={clients}
          arn={chosen.Arn}
          name={chosen.PolicyName ?? ''}
          versionId={chosen.DefaultVersionId ?? 'v1'}
        />
      ) : null}
    </section>
  );
}

function AwsPolicyDetail({
  clients,
  arn,
  name,
  versionId,
}: {
  clients: Clients;
  arn: string;
  name: string;
  versionId: string;
}) {
  const doc = useLoad(
    async () =>
      prettyDocument(
        (await clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })))
          .PolicyVersion?.Document,
      ),
    [clients, arn, versionId],
  );
  const entities = useLoad(() => entitiesFor(clients.iam, arn), [clients, arn]);
  return (
    <section className="iam-detail" aria-labelledby="aws-policy-h">
      <h3 id="aws-policy-h">
        Policy {name} <span className="badge">AWS managed</span>
      </h3>
      <p className="mono">{arn}</p>
      <section className="iam-sub" aria-label={`Document of ${name}`}>
        <h4>Document ({versionId}, default)</h4>
        <ErrorBox error={doc.error} />
        {doc.data !== undefined ? (
          <pre className="code" data-testid="aws-policy-document">
            {doc.data}
          </pre>
        ) : null}
      </section>
      <section className="iam-sub" aria-label={`Entities of ${name}`}>
        <h4>Attached in this account to</h4>
        <ErrorBox error={entities.error} />
        {entities.data ? <EntityList e={entities.data} /> : null}
      </section>
    </section>
  );
}
