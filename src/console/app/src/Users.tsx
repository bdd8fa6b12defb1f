import { useState, type FormEvent } from 'react';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteUserCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { arnColumn, createdColumn, EntityListPage, useEntityList } from './entity-list.js';
import { RowButton } from './list-table.js';
import { UserDetail } from './iam-user-detail.js';
import { smtpPassword } from './smtp-password.js';
import { attempt, ErrorBox } from './ui.js';

interface NewKey {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function Users({ clients, region }: { clients: Clients; region: string }) {
  const users = useEntityList(
    'users',
    async () => (await clients.iam.send(new ListUsersCommand({ MaxItems: 1000 }))).Users ?? [],
    [clients],
  );
  const [userName, setUserName] = useState('');
  const [key, setKey] = useState<NewKey>();
  const [keysChanged, setKeysChanged] = useState(0);

  async function create(e: FormEvent) {
    e.preventDefault();
    const name = userName.trim();
    if (await attempt(() => clients.iam.send(new CreateUserCommand({ UserName: name })), users.setError)) {
      setUserName('');
      users.select(name);
      await users.reload();
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
    }, users.setError);
  }

  return (
    <EntityListPage
      list={users}
      title="IAM users"
      nameHeader="User"
      plural="users"
      name={(u) => u.UserName ?? ''}
      columns={[arnColumn, createdColumn]}
      empty="No IAM users yet."
      remove={{
        noun: 'user',
        confirm: 'IAM user',
        run: (name) => clients.iam.send(new DeleteUserCommand({ UserName: name })),
      }}
      actions={(u) => (
        <RowButton
          verb="Create access key"
          object={`for ${u.UserName}`}
          onClick={() => void createKey(u.UserName ?? '')}
        />
      )}
      detail={(name) => (
        <UserDetail
          clients={clients}
          userName={name}
          keysChanged={keysChanged}
          onCreateKey={() => void createKey(name)}
        />
      )}
    >
      <form onSubmit={create} className="inline">
        <label>
          User name
          <input value={userName} onChange={(e) => setUserName(e.target.value)} required />
        </label>
        <button type="submit">Create user</button>
      </form>
      {key ? <NewKeyPanel k={key} region={region} onDone={() => setKey(undefined)} /> : null}
    </EntityListPage>
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
