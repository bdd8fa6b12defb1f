import { useEffect, useState } from 'react';
import { CreatePolicyCommand, DeletePolicyCommand, ListPoliciesCommand } from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { AwsManagedPolicies, ScopeSwitch } from './aws-managed-policies.js';
import { arnColumn, EntityTable, useEntityList } from './entity-list.js';
import { PolicyDetail } from './iam-policy-detail.js';
import { AWS_MANAGED_PREFIX, type PolicyScope } from './policy-list.js';
import { IDENTITY_TEMPLATE, PolicyForm } from './policy-form.js';

export function Policies({ clients }: { clients: Clients; region: string }) {
  const policies = useEntityList(
    'policies',
    async () =>
      (await clients.iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1000 }))).Policies ?? [],
    [clients],
  );
  const { selected, select } = policies;
  // The open policy's ARN says whose list shows it; with none open, the switch does. AWS's ~1,500
  // policies are read only once their list is asked for.
  const selectedScope = selected && (selected.startsWith(AWS_MANAGED_PREFIX) ? 'AWS' : 'Local');
  const [chosen, setChosen] = useState<PolicyScope>(selectedScope || 'Local');
  useEffect(() => {
    if (selectedScope) setChosen(selectedScope);
  }, [selectedScope]);
  const scope = selectedScope || chosen;

  // One tree for both lists, so switching keeps the focus on the switch.
  return (
    <section aria-labelledby="policies-h">
      <h2 id="policies-h">IAM policies</h2>
      <ScopeSwitch
        scope={scope}
        onChange={(s) => {
          setChosen(s);
          if (selectedScope && selectedScope !== s) select(undefined);
        }}
      />
      {scope === 'AWS' ? (
        <AwsManagedPolicies clients={clients} selected={selected} />
      ) : (
        <>
          <p>Customer managed policies of this account.</p>
          <EntityTable
            list={policies}
            nameHeader="Policy"
            plural="policies"
            name={(p) => p.Arn ?? ''}
            label={(p) => p.PolicyName ?? ''}
            columns={[
              arnColumn,
              { header: 'Default version', cell: (p) => p.DefaultVersionId, testId: 'default-version' },
              {
                header: 'Attachments',
                cell: (p) => p.AttachmentCount ?? 0,
                testId: 'attachment-count',
                sort: (p) => p.AttachmentCount ?? 0,
              },
            ]}
            empty="No customer managed policies yet."
            remove={{
              noun: 'policy',
              confirm: 'managed policy',
              run: (arn) => clients.iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
            }}
            detail={(arn, p) =>
              p ? (
                <PolicyDetail
                  clients={clients}
                  arn={arn}
                  name={p.PolicyName ?? ''}
                  defaultVersionId={p.DefaultVersionId ?? 'v1'}
                  onChanged={policies.reload}
                />
              ) : null
            }
          />
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
                await policies.reload();
                select(out.Policy?.Arn);
                return `Created policy ${name}.`;
              }}
            />
          </section>
        </>
      )}
    </section>
  );
}
