import { useState, type FormEvent } from 'react';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteUserCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { EntityLink, useHashSelection } from './links.js';
import { UserDetail } from './iam-user-detail.js';
import { smtpPassword } from './smtp-password.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';
import './iam.css';

interface NewKey {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function Users({ clients, region }: { clients: Clients; region: string }) {
  const list = useLoad(
    async () => (await clients.iam.send(new ListUsersCommand({ MaxItems: 1000 }))).Users ?? [],
    [clients],
  );
  const [userName, setUserName] = useState('');
  const [error, setError] = useState<string>();
  const [key, setKey] = useState<NewKey>();
  const [selected, setSelected] = useHashSelection('users');
  const [keysChanged, setKeysChanged] = useState(0);

  async function create(e: FormEvent) {
    e.preventDefault();
    const name = userName.trim();
    if (await attempt(() => clients.iam.send(new CreateUserCommand({ UserName: name })), setError)) {
      setUserName('');
      setSelected(name);
      await list.reload();
    }
  }
  async function createKey(name: string) {
    setKey(undefined);
    await attempt(async () => {
      const out = await clients.iam.send(new CreateAccessKeyCommand({ UserName: name }));
      setKey({
        userName: name,
        accessKeyId: out.AccessKey?.AccessKeyId ?? '',
        secretAccessKey: out.AccessKey?.SecretAccessKey ?? '',
      });
      setKeysChanged((n) => n + 1);
    }, setError);
  }
  async function remove(name: string) {
    if (!window.confirm(`Delete the IAM user ${name}?`)) return;
    if (await attempt(() => clients.iam.send(new DeleteUserCommand({ UserName: name })), setError)) {
      if (selected === name) setSelected(undefined);
      await list.reload();
    }
  }

  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">IAM users</h2>
      <form onSubmit={create} className="inline">
        <label>
          User name
          <input value={userName} onChange={(e) => setUserName(e.target.value)} required />
        </label>
        <button type="submit">Create user</button>
      </form>
      <ErrorBox error={error ?? list.error} />
      {key ? <NewKeyPanel k={key} region={region} onDone={() => setKey(undefined)} /> : null}
      {list.loading && !list.data ? <p>Loading…</p> : null}
      {list.data && list.data.length === 0 ? <Empty>No IAM users yet.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <div className="iam-table-wrap">
          <table>
            <thead>
              <tr>
                <th>User</th>
                <th>ARN</th>
                <th>Created</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((u) => (
                <tr key={u.UserId}>
                  <td>
                    <EntityLink page="users" name={u.UserName ?? ''} open={selected === u.UserName} />
                  </td>
                  <td className="mono">{u.Arn}</td>
                  <td>{u.CreateDate?.toISOString()}</td>
                  <td className="iam-actions">
                    <button type="button" onClick={() => void createKey(u.UserName ?? '')}>
                      Create access key for {u.UserName}
                    </button>
                    <button type="button" onClick={() => void remove(u.UserName ?? '')}>
                      Delete user {u.UserName}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {selected ? (
        <UserDetail
          key={selected}
          clients={clients}
          userName={selected}
          keysChanged={keysChanged}
          onCreateKey={() => void createKey(selected)}
        />
      ) : null}
    </section>
  );
}

function NewKeyPanel({ k, region, onDone }: { k: NewKey; region: string; onDone: () => void }) {
  const [smtpRegion, setSmtpRegion] = useState(region);
  const [password, setPassword] = useState<string>();
  const [error, setError] = useState<string>();

  async function compute(e: FormEvent) {
    e.preventDefault();
    await attempt(
      async () => setPassword(await smtpPassword(k.secretAccessKey, smtpRegion.trim())),
      setError,
    );
  }

  return (
    <section aria-labelledby="newkey-h" className="panel iam-secret">
      <h3 id="newkey-h">New access key for {k.userName}</h3>
      <p>The secret is shown only now. Copy it before leaving this page.</p>
      <dl>
        <dt>Access key ID</dt>
        <dd className="mono" data-testid="new-access-key-id">
          {k.accessKeyId}
        </dd>
        <dt>Secret access key</dt>
        <dd className="mono" data-testid="new-secret-access-key">
          {k.secretAccessKey}
        </dd>
      </dl>
      <form onSubmit={compute} className="inline">
        <label>
          SMTP region
          <input value={smtpRegion} onChange={(e) => setSmtpRegion(e.target.value)} required />
        </label>
        <button type="submit">Show SMTP password</button>
      </form>
      <ErrorBox error={error} />
      {password ? (
        <dl>
          <dt>SMTP user name</dt>
          <dd className="mono">{k.accessKeyId}</dd>
          <dt>SMTP password ({smtpRegion})</dt>
          <dd className="mono" data-testid="smtp-password">
            {password}
          </dd>
        </dl>
      ) : null}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </section>
  );
}
