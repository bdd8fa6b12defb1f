import { useState } from 'react';
import { CreatePolicyCommand, DeletePolicyCommand, ListPoliciesCommand } from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { AwsManagedPolicies, ScopeSwitch } from './aws-managed-policies.js';
import { EntityLink, useHashSelection } from './links.js';
import { PolicyDetail } from './iam-policy-detail.js';
import type { PolicyScope } from './policy-list.js';
import { IDENTITY_TEMPLATE, PolicyForm } from './policy-form.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';
import './iam.css';

export function Policies({ clients }: { clients: Clients; region: string }) {
  const list = useLoad(
    async () =>
      (await clients.iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1000 }))).Policies ?? [],
    [clients],
  );
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useHashSelection('policies');
  // AWS's ~1,500 policies are read only once their view is asked for.
  const [scope, setScope] = useState<PolicyScope>('Local');
  const scopes = <ScopeSwitch scope={scope} onChange={setScope} />;
  const chosen = list.data?.find((p) => p.Arn === selected);

  async function remove(arn: string, name: string) {
    if (!window.confirm(`Delete the managed policy ${name}?`)) return;
    if (await attempt(() => clients.iam.send(new DeletePolicyCommand({ PolicyArn: arn })), setError)) {
      if (selected === arn) setSelected(undefined);
      await list.reload();
    }
  }

  if (scope === 'AWS')
    return (
      <section aria-labelledby="policies-h">
        <h2 id="policies-h">IAM policies</h2>
        {scopes}
        <AwsManagedPolicies clients={clients} />
      </section>
    );
  return (
    <section aria-labelledby="policies-h">
      <h2 id="policies-h">IAM policies</h2>
      {scopes}
      <p>Customer managed policies of this account.</p>
      <ErrorBox error={error ?? list.error} />
      {list.loading && !list.data ? <p>Loading…</p> : null}
      {list.data && list.data.length === 0 ? <Empty>No customer managed policies yet.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <div className="iam-table-wrap">
          <table>
            <thead>
              <tr>
                <th>Policy</th>
                <th>ARN</th>
                <th>Default version</th>
                <th>Attachments</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.PolicyId}>
                  <td>
                    <EntityLink
                      page="policies"
                      name={p.Arn ?? ''}
                      label={p.PolicyName}
                      open={selected === p.Arn}
                    />
                  </td>
                  <td className="mono">{p.Arn}</td>
                  <td data-testid="default-version">{p.DefaultVersionId}</td>
                  <td data-testid="attachment-count">{p.AttachmentCount ?? 0}</td>
                  <td>
                    <button type="button" onClick={() => void remove(p.Arn ?? '', p.PolicyName ?? '')}>
                      Delete policy {p.PolicyName}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {chosen?.Arn ? (
        <PolicyDetail
          key={chosen.Arn}
          clients={clients}
          arn={chosen.Arn}
          name={chosen.PolicyName ?? ''}
          defaultVersionId={chosen.DefaultVersionId ?? 'v1'}
          onChanged={list.reload}
        />
      ) : null}
      <section className="panel" aria-labelledby="create-policy-h">
        <h3 id="create-policy-h">Create a customer managed policy</h3>
        <PolicyForm
          type="identity"
          initialText={IDENTITY_TEMPLATE}
          saveLabel="Create policy"
          onSave={async (name, text) => {
            const out = await clients.iam.send(
              new CreatePolicyCommand({ PolicyName: name, PolicyDocument: text }),
            );
            await list.reload();
            setSelected(out.Policy?.Arn);
            return `Created policy ${name}.`;
          }}
        />
      </section>
    </section>
  );
}
