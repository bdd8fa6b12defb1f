import { useState, type FormEvent } from 'react';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  ListRolesCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { Arn } from './arn.js';
import { arnColumn, EntityListPage, useEntityList } from './entity-list.js';
import { AttachedPolicies, InlinePolicies, PermissionsBoundary } from './iam-entity-policies.js';
import { PolicyForm, prettyDocument } from './policy-form.js';
import { attempt, ErrorBox, useLoad } from './ui.js';

/** Lets principals of this account assume the role (AWS's own default for "this account"). */
const trustTemplate = (account: string) =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
      ],
    },
    null,
    2,
  );

/** account: the signed-in account's id, known to the shell after sign-in (undefined until then). */
export function Roles({
  clients,
  account,
}: {
  clients: Clients;
  account: string | undefined;
  region: string;
}) {
  const roles = useEntityList(
    'roles',
    async () => (await clients.iam.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles ?? [],
    [clients],
  );
  const [duration, setDuration] = useState('3600');

  return (
    <EntityListPage
      list={roles}
      title="IAM roles"
      nameHeader="Role"
      plural="roles"
      name={(r) => r.RoleName ?? ''}
      columns={[
        arnColumn,
        {
          header: 'Max session',
          cell: (r) => `${r.MaxSessionDuration ?? 3600} s`,
          sort: (r) => r.MaxSessionDuration ?? 3600,
        },
      ]}
      empty="No IAM roles yet."
      remove={{
        noun: 'role',
        confirm: 'IAM role',
        run: (name) => clients.iam.send(new DeleteRoleCommand({ RoleName: name })),
      }}
      detail={(name) => <RoleDetail clients={clients} roleName={name} onChanged={roles.reload} />}
    >
      <details className="panel">
        <summary>Create a role</summary>
        {account !== undefined ? (
          <PolicyForm
            type="trust"
            nameLabel="Role name"
            docLabel="Trust policy (JSON)"
            saveLabel="Create role"
            initialText={trustTemplate(account)}
            onSave={async (name, text) => {
              await clients.iam.send(
                new CreateRoleCommand({
                  RoleName: name,
                  AssumeRolePolicyDocument: text,
                  MaxSessionDuration: Number(duration),
                }),
              );
              roles.select(name);
              await roles.reload();
              return `Created role ${name}.`;
            }}
          >
            <label>
              Maximum session duration (seconds)
              <input
                type="number"
                min={3600}
                max={43200}
                value={duration}
                onChange={(e) => setDuration(e.target.value)}
                required
              />
            </label>
          </PolicyForm>
        ) : (
          <p>Loading…</p>
        )}
      </details>
    </EntityListPage>
  );
}

function RoleDetail({
  clients,
  roleName,
  onChanged,
}: {
  clients: Clients;
  roleName: string;
  onChanged: () => Promise<void>;
}) {
  const role = useLoad(
    async () => (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role,
    [clients, roleName],
  );
  const [seconds, setSeconds] = useState<string>();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();

  async function updateDuration(e: FormEvent) {
    e.preventDefault();
    setSaved(undefined);
    const n = Number(seconds ?? role.data?.MaxSessionDuration ?? 3600);
    const ok = await attempt(
      () => clients.iam.send(new UpdateRoleCommand({ RoleName: roleName, MaxSessionDuration: n })),
      setError,
    );
    if (ok) {
      setSaved(`Maximum session duration is ${n} seconds.`);
      await role.reload();
      await onChanged();
    }
  }

  return (
    <section className="iam-detail" aria-labelledby="role-detail-h">
      <h3 id="role-detail-h">Role {roleName}</h3>
      <ErrorBox error={role.error} />
      {role.loading && !role.data ? <p>Loading…</p> : null}
      {role.data ? (
        <>
          <p>
            <Arn value={role.data.Arn ?? ''} />
          </p>
          <section className="iam-sub" aria-label={`Trust policy of ${roleName}`}>
            <h4>Trust policy</h4>
            <PolicyForm
              type="trust"
              withName={false}
              docLabel="Trust policy (JSON)"
              saveLabel="Update trust policy"
              initialText={prettyDocument(role.data.AssumeRolePolicyDocument)}
              onSave={async (_n, text) => {
                await clients.iam.send(
                  new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: text }),
                );
                return 'Trust policy updated.';
              }}
            />
          </section>
          <section className="iam-sub" aria-label={`Session duration of ${roleName}`}>
            <h4>Maximum session duration</h4>
            <form onSubmit={updateDuration} className="inline">
              <label>
                Seconds (3600–43200)
                <input
                  type="number"
                  value={seconds ?? String(role.data.MaxSessionDuration ?? 3600)}
                  onChange={(e) => setSeconds(e.target.value)}
                  required
                />
              </label>
              <button type="submit">Update duration</button>
            </form>
            <ErrorBox error={error} />
            {saved ? <p role="status">{saved}</p> : null}
          </section>
          <PermissionsBoundary
            clients={clients}
            kind="Role"
            name={roleName}
            current={role.data.PermissionsBoundary?.PermissionsBoundaryArn}
            onChanged={role.reload}
          />
        </>
      ) : null}
      <InlinePolicies clients={clients} kind="Role" name={roleName} />
      <AttachedPolicies clients={clients} kind="Role" name={roleName} />
    </section>
  );
}
