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
import { EntityLink, useHashSelection } from './links.js';
import { AttachedPolicies, InlinePolicies, PermissionsBoundary } from './iam-entity-policies.js';
import { PolicyForm, prettyDocument } from './policy-form.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';
import './iam.css';

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
  const list = useLoad(
    async () => (await clients.iam.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles ?? [],
    [clients],
  );
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useHashSelection('roles');
  const [duration, setDuration] = useState('3600');

  async function remove(name: string) {
    if (!window.confirm(`Delete the IAM role ${name}?`)) return;
    if (await attempt(() => clients.iam.send(new DeleteRoleCommand({ RoleName: name })), setError)) {
      if (selected === name) setSelected(undefined);
      await list.reload();
    }
  }

  return (
    <section aria-labelledby="roles-h">
      <h2 id="roles-h">IAM roles</h2>
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
              setSelected(name);
              await list.reload();
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
      <ErrorBox error={error ?? list.error} />
      {list.loading && !list.data ? <p>Loading…</p> : null}
      {list.data && list.data.length === 0 ? <Empty>No IAM roles yet.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <div className="iam-table-wrap">
          <table>
            <thead>
              <tr>
                <th>Role</th>
                <th>ARN</th>
                <th>Max session</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((r) => (
                <tr key={r.RoleId}>
                  <td>
                    <EntityLink page="roles" name={r.RoleName ?? ''} open={selected === r.RoleName} />
                  </td>
                  <td className="mono">{r.Arn}</td>
                  <td>{r.MaxSessionDuration ?? 3600} s</td>
                  <td>
                    <button type="button" onClick={() => void remove(r.RoleName ?? '')}>
                      Delete role {r.RoleName}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {selected ? (
        <RoleDetail key={selected} clients={clients} roleName={selected} onChanged={list.reload} />
      ) : null}
    </section>
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
          <p className="mono">{role.data.Arn}</p>
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
