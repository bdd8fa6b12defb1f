// One IAM user: access keys (activate, deactivate, delete), groups, permissions boundary, inline and
// attached policies.
import { useState, type FormEvent } from 'react';
import {
  AddUserToGroupCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { Arn } from './arn.js';
import { entityHref } from './links.js';
import { AttachedPolicies, InlinePolicies, PermissionsBoundary } from './iam-entity-policies.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';

export function UserDetail({
  clients,
  userName,
  keysChanged,
  onCreateKey,
}: {
  clients: Clients;
  userName: string;
  keysChanged: number;
  onCreateKey: () => void;
}) {
  const user = useLoad(
    async () => (await clients.iam.send(new GetUserCommand({ UserName: userName }))).User,
    [clients, userName],
  );
  return (
    <section className="iam-detail" aria-labelledby="user-detail-h">
      <h3 id="user-detail-h">User {userName}</h3>
      <ErrorBox error={user.error} />
      {user.data ? (
        <p>
          <Arn value={user.data.Arn ?? ''} />
        </p>
      ) : null}
      <AccessKeys clients={clients} userName={userName} changed={keysChanged} onCreate={onCreateKey} />
      <UserGroups clients={clients} userName={userName} />
      <PermissionsBoundary
        clients={clients}
        kind="User"
        name={userName}
        current={user.data?.PermissionsBoundary?.PermissionsBoundaryArn}
        onChanged={user.reload}
      />
      <InlinePolicies clients={clients} kind="User" name={userName} />
      <AttachedPolicies clients={clients} kind="User" name={userName} />
    </section>
  );
}

function AccessKeys({
  clients,
  userName,
  changed,
  onCreate,
}: {
  clients: Clients;
  userName: string;
  changed: number;
  onCreate: () => void;
}) {
  const keys = useLoad(
    async () =>
      (await clients.iam.send(new ListAccessKeysCommand({ UserName: userName, MaxItems: 1000 })))
        .AccessKeyMetadata ?? [],
    [clients, userName, changed],
  );
  const [error, setError] = useState<string>();

  async function setStatus(id: string, status: 'Active' | 'Inactive') {
    const ok = await attempt(
      () =>
        clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status: status })),
      setError,
    );
    if (ok) await keys.reload();
  }
  async function remove(id: string) {
    if (!window.confirm(`Delete the access key ${id}? Clients using it stop working at once.`)) return;
    const ok = await attempt(
      () => clients.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: id })),
      setError,
    );
    if (ok) await keys.reload();
  }

  return (
    <section className="iam-sub" aria-label={`Access keys of ${userName}`}>
      <h4>Access keys</h4>
      <ErrorBox error={error ?? keys.error} />
      {keys.data && keys.data.length === 0 ? <Empty>No access keys.</Empty> : null}
      <ul className="iam-list">
        {keys.data?.map((k) => (
          <li key={k.AccessKeyId} data-testid="access-key">
            <span className="mono">{k.AccessKeyId}</span>
            <span className={k.Status === 'Active' ? 'iam-status-active' : 'iam-status-inactive'}>
              {k.Status}
            </span>
            <span>created {k.CreateDate?.toISOString()}</span>
            {k.Status === 'Active' ? (
              <button type="button" onClick={() => void setStatus(k.AccessKeyId ?? '', 'Inactive')}>
                Deactivate {k.AccessKeyId}
              </button>
            ) : (
              <button type="button" onClick={() => void setStatus(k.AccessKeyId ?? '', 'Active')}>
                Activate {k.AccessKeyId}
              </button>
            )}
            <button type="button" onClick={() => void remove(k.AccessKeyId ?? '')}>
              Delete key {k.AccessKeyId}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onCreate}>
        Create access key
      </button>
    </section>
  );
}

function UserGroups({ clients, userName }: { clients: Clients; userName: string }) {
  const groups = useLoad(
    async () =>
      (await clients.iam.send(new ListGroupsForUserCommand({ UserName: userName, MaxItems: 1000 }))).Groups ??
      [],
    [clients, userName],
  );
  const all = useLoad(
    async () => (await clients.iam.send(new ListGroupsCommand({ MaxItems: 1000 }))).Groups ?? [],
    [clients],
  );
  const [group, setGroup] = useState('');
  const [error, setError] = useState<string>();
  const member = new Set(groups.data?.map((g) => g.GroupName));
  const candidates = (all.data ?? []).filter((g) => !member.has(g.GroupName));

  async function add(e: FormEvent) {
    e.preventDefault();
    const ok = await attempt(
      () => clients.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: userName })),
      setError,
    );
    if (ok) {
      setGroup('');
      await groups.reload();
    }
  }
  async function remove(g: string) {
    const ok = await attempt(
      () => clients.iam.send(new RemoveUserFromGroupCommand({ GroupName: g, UserName: userName })),
      setError,
    );
    if (ok) await groups.reload();
  }

  return (
    <section className="iam-sub" aria-label={`Groups of ${userName}`}>
      <h4>Groups</h4>
      <ErrorBox error={error ?? groups.error} />
      {groups.data && groups.data.length === 0 ? <Empty>Not in any group.</Empty> : null}
      <ul className="iam-list">
        {groups.data?.map((g) => (
          <li key={g.GroupName}>
            <a href={entityHref('groups', g.GroupName ?? '')}>{g.GroupName}</a>
            <button type="button" onClick={() => void remove(g.GroupName ?? '')}>
              Remove from {g.GroupName}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="inline">
        <label>
          Add to group
          <select value={group} onChange={(e) => setGroup(e.target.value)} required>
            <option value="">{candidates.length ? 'Choose a group…' : 'No other groups'}</option>
            {candidates.map((g) => (
              <option key={g.GroupName} value={g.GroupName}>
                {g.GroupName}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Add to group</button>
      </form>
    </section>
  );
}
