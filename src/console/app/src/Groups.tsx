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
import { EntityLink, useHashSelection } from './links.js';
import { AttachedPolicies, InlinePolicies } from './iam-entity-policies.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';
import './iam.css';

export function Groups({ clients }: { clients: Clients; region: string }) {
  const list = useLoad(
    async () => (await clients.iam.send(new ListGroupsCommand({ MaxItems: 1000 }))).Groups ?? [],
    [clients],
  );
  const [groupName, setGroupName] = useState('');
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useHashSelection('groups');

  async function create(e: FormEvent) {
    e.preventDefault();
    const name = groupName.trim();
    if (await attempt(() => clients.iam.send(new CreateGroupCommand({ GroupName: name })), setError)) {
      setGroupName('');
      setSelected(name);
      await list.reload();
    }
  }
  async function remove(name: string) {
    if (!window.confirm(`Delete the IAM group ${name}?`)) return;
    if (await attempt(() => clients.iam.send(new DeleteGroupCommand({ GroupName: name })), setError)) {
      if (selected === name) setSelected(undefined);
      await list.reload();
    }
  }

  return (
    <section aria-labelledby="groups-h">
      <h2 id="groups-h">IAM groups</h2>
      <form onSubmit={create} className="inline">
        <label>
          Group name
          <input value={groupName} onChange={(e) => setGroupName(e.target.value)} required />
        </label>
        <button type="submit">Create group</button>
      </form>
      <ErrorBox error={error ?? list.error} />
      {list.loading && !list.data ? <p>Loading…</p> : null}
      {list.data && list.data.length === 0 ? <Empty>No IAM groups yet.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <div className="iam-table-wrap">
          <table>
            <thead>
              <tr>
                <th>Group</th>
                <th>ARN</th>
                <th>Created</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((g) => (
                <tr key={g.GroupId}>
                  <td>
                    <EntityLink page="groups" name={g.GroupName ?? ''} open={selected === g.GroupName} />
                  </td>
                  <td className="mono">{g.Arn}</td>
                  <td>{g.CreateDate?.toISOString()}</td>
                  <td>
                    <button type="button" onClick={() => void remove(g.GroupName ?? '')}>
                      Delete group {g.GroupName}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {selected ? (
        <section className="iam-detail" aria-labelledby="group-detail-h" key={selected}>
          <h3 id="group-detail-h">Group {selected}</h3>
          <Members clients={clients} groupName={selected} />
          <InlinePolicies clients={clients} kind="Group" name={selected} />
          <AttachedPolicies clients={clients} kind="Group" name={selected} />
        </section>
      ) : null}
    </section>
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
            <span>{u.UserName}</span>
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
