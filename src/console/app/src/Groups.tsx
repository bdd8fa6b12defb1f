import { useState, type FormEvent } from 'react';
import {
  AddUserToGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { arnColumn, createdColumn, EntityListPage, useEntityList } from './entity-list.js';
import { AttachedPolicies, InlinePolicies } from './iam-entity-policies.js';
import { entityHref } from './links.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';

export function Groups({ clients }: { clients: Clients; region: string }) {
  const groups = useEntityList(
    'groups',
    async () => (await clients.iam.send(new ListGroupsCommand({ MaxItems: 1000 }))).Groups ?? [],
    [clients],
  );
  const [groupName, setGroupName] = useState('');

  async function create(e: FormEvent) {
    e.preventDefault();
    const name = groupName.trim();
    if (await attempt(() => clients.iam.send(new CreateGroupCommand({ GroupName: name })), groups.setError)) {
      setGroupName('');
      groups.select(name);
      await groups.reload();
    }
  }

  return (
    <EntityListPage
      list={groups}
      title="IAM groups"
      nameHeader="Group"
      plural="groups"
      name={(g) => g.GroupName ?? ''}
      columns={[arnColumn, createdColumn]}
      empty="No IAM groups yet."
      remove={{
        noun: 'group',
        confirm: 'IAM group',
        run: (name) => clients.iam.send(new DeleteGroupCommand({ GroupName: name })),
      }}
      detail={(name) => (
        <section className="iam-detail" aria-labelledby="group-detail-h">
          <h3 id="group-detail-h">Group {name}</h3>
          <Members clients={clients} groupName={name} />
          <InlinePolicies clients={clients} kind="Group" name={name} />
          <AttachedPolicies clients={clients} kind="Group" name={name} />
        </section>
      )}
    >
      <form onSubmit={create} className="inline">
        <label>
          Group name
          <input value={groupName} onChange={(e) => setGroupName(e.target.value)} required />
        </label>
        <button type="submit">Create group</button>
      </form>
    </EntityListPage>
  );
}

function Members({ clients, groupName }: { clients: Clients; groupName: string }) {
  const members = useLoad(
    async () =>
      (await clients.iam.send(new GetGroupCommand({ GroupName: groupName, MaxItems: 1000 }))).Users ?? [],
    [clients, groupName],
  );
  const users = useLoad(
    async () => (await clients.iam.send(new ListUsersCommand({ MaxItems: 1000 }))).Users ?? [],
    [clients],
  );
  const [user, setUser] = useState('');
  const [error, setError] = useState<string>();
  const inGroup = new Set(members.data?.map((u) => u.UserName));
  const candidates = (users.data ?? []).filter((u) => !inGroup.has(u.UserName));

  async function add(e: FormEvent) {
    e.preventDefault();
    const ok = await attempt(
      () => clients.iam.send(new AddUserToGroupCommand({ GroupName: groupName, UserName: user })),
      setError,
    );
    if (ok) {
      setUser('');
      await members.reload();
    }
  }
  async function remove(u: string) {
    const ok = await attempt(
      () => clients.iam.send(new RemoveUserFromGroupCommand({ GroupName: groupName, UserName: u })),
      setError,
    );
    if (ok) await members.reload();
  }

  return (
    <section className="iam-sub" aria-label={`Members of ${groupName}`}>
      <h4>Members</h4>
      <ErrorBox error={error ?? members.error} />
      {members.data && members.data.length === 0 ? <Empty>No members.</Empty> : null}
      <ul className="iam-list" data-testid="group-members">
        {members.data?.map((u) => (
          <li key={u.UserName}>
            <a href={entityHref('users', u.UserName ?? '')}>{u.UserName}</a>
            <button type="button" onClick={() => void remove(u.UserName ?? '')}>
              Remove {u.UserName}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="inline">
        <label>
          Add member
          <select value={user} onChange={(e) => setUser(e.target.value)} required>
            <option value="">{candidates.length ? 'Choose a user…' : 'No other users'}</option>
            {candidates.map((u) => (
              <option key={u.UserName} value={u.UserName}>
                {u.UserName}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Add member</button>
      </form>
    </section>
  );
}
