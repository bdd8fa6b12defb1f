// The AWS managed policies every account has: found by name, read (the default version's document)
// and where this account uses them. They are AWS's: nothing here writes them; a user, group or role
// page attaches them.
import { useState } from 'react';
import { GetPolicyVersionCommand } from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { Arn } from './arn.js';
import { EntityList, entitiesFor } from './iam-policy-detail.js';
import { EntityLink } from './links.js';
import { ListTable } from './list-table.js';
import { allPolicies, type PolicyScope } from './policy-list.js';
import { prettyDocument } from './policy-form.js';
import { ErrorBox, useLoad } from './ui.js';

/** Rows shown at first, and added by each "Show more". */
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

/** selected: the open policy's ARN, kept in the address (`#/policies/arn:aws:iam::aws:policy/…`). */
export function AwsManagedPolicies({
  clients,
  selected,
}: {
  clients: Clients;
  selected: string | undefined;
}) {
  const list = useLoad(() => allPolicies(clients.iam, 'AWS'), [clients]);
  const [filter, setFilter] = useState('');
  const [attachedOnly, setAttachedOnly] = useState(false);
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
      {matches.length > 0 ? (
        <p data-testid="aws-policy-count">
          {`${matches.length} matching ${matches.length === 1 ? 'policy' : 'policies'}.`}
        </p>
      ) : null}
      <ListTable
        rows={list.data && matches}
        pageSize={SHOWN}
        loading={list.loading}
        error={list.error}
        empty="No AWS managed policy matches."
        rowKey={(p) => p.Arn ?? ''}
        open={(p) => p.Arn === selected}
        columns={[
          {
            header: 'Policy',
            cell: (p) => (
              <EntityLink page="policies" name={p.Arn ?? ''} label={p.PolicyName} open={p.Arn === selected} />
            ),
            sort: (p) => p.PolicyName,
          },
          { header: 'Path', cell: (p) => p.Path, className: 'mono', sort: (p) => p.Path },
          { header: 'Default version', cell: (p) => p.DefaultVersionId },
          {
            header: 'Attachments',
            cell: (p) => p.AttachmentCount ?? 0,
            testId: 'aws-attachment-count',
            sort: (p) => p.AttachmentCount ?? 0,
          },
        ]}
      />
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
      <p>
        <Arn value={arn} />
      </p>
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
