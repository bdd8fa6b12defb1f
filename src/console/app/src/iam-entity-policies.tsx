// The policy sections of a user, group or role: inline policies (edited in the linted editor),
// attached managed policies, and the permissions boundary (users and roles).
import { useState, type FormEvent } from 'react';
import {
  DeleteRolePermissionsBoundaryCommand,
  DeleteUserPermissionsBoundaryCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { entityOps, type EntityKind } from './iam-ops.js';
import { allPolicies, AWS_MANAGED_PREFIX } from './policy-list.js';
import { IDENTITY_TEMPLATE, PolicyForm, prettyDocument } from './policy-form.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';
import { WhatIfPreview } from './what-if-preview.js';
import { ArnLink } from './links.js';
import './iam.css';

export function InlinePolicies({
  clients,
  kind,
  name,
}: {
  clients: Clients;
  kind: EntityKind;
  name: string;
}) {
  const ops = entityOps(clients.iam, kind);
  const list = useLoad(() => ops.listInline(name), [clients, kind, name]);
  const [error, setError] = useState<string>();
  // The document being edited; `n` remounts the form so it takes the loaded text.
  const [editing, setEditing] = useState<{ n: number; name: string; text: string }>({
    n: 0,
    name: '',
    text: IDENTITY_TEMPLATE,
  });

  async function edit(policy: string) {
    await attempt(async () => {
      const doc = prettyDocument(await ops.getInline(name, policy));
      setEditing((e) => ({ n: e.n + 1, name: policy, text: doc }));
    }, setError);
  }
  async function remove(policy: string) {
    if (!window.confirm(`Delete the inline policy ${policy} of ${name}?`)) return;
    if (await attempt(() => ops.deleteInline(name, policy), setError)) await list.reload();
  }

  return (
    <section className="iam-sub" aria-label={`Inline policies of ${name}`}>
      <h4>Inline policies</h4>
      <ErrorBox error={error ?? list.error} />
      {list.loading && !list.data ? <p>Loading…</p> : null}
      {list.data && list.data.length === 0 ? <Empty>No inline policies.</Empty> : null}
      <ul className="iam-list">
        {list.data?.map((p) => (
          <li key={p}>
            <span className="mono">{p}</span>{' '}
            <button type="button" onClick={() => void edit(p)}>
              Edit inline policy {p}
            </button>{' '}
            <button type="button" onClick={() => void remove(p)}>
              Delete inline policy {p}
            </button>
          </li>
        ))}
      </ul>
      <PolicyForm
        key={editing.n}
        type="identity"
        initialName={editing.name}
        initialText={editing.text}
        saveLabel="Save inline policy"
        whatIf={{
          clients,
          change: (policy, text) => ({
            Operation: `Put${kind}Policy`,
            [`${kind}Name`]: name,
            PolicyName: policy,
            PolicyDocument: text,
          }),
        }}
        onSave={async (policy, text) => {
          await ops.putInline(name, policy, text);
          await list.reload();
          return `Saved inline policy ${policy}.`;
        }}
      />
    </section>
  );
}

/** Customer managed and AWS managed policies (every page of each), offered for an ARN field. */
function usePolicyArns(clients: Clients) {
  return useLoad(async () => {
    const [local, aws] = await Promise.all([
      allPolicies(clients.iam, 'Local'),
      allPolicies(clients.iam, 'AWS'),
    ]);
    return [
      ...local.map((p) => ({ arn: p.Arn ?? '', kind: 'Customer managed' })),
      ...aws.map((p) => ({ arn: p.Arn ?? '', kind: 'AWS managed' })),
    ];
  }, [clients]);
}

export function AttachedPolicies({
  clients,
  kind,
  name,
}: {
  clients: Clients;
  kind: EntityKind;
  name: string;
}) {
  const ops = entityOps(clients.iam, kind);
  const list = useLoad(() => ops.listAttached(name), [clients, kind, name]);
  const arns = usePolicyArns(clients);
  const [arn, setArn] = useState('');
  const [error, setError] = useState<string>();
  const listId = `attach-${kind}-${name}`;

  async function attach(e: FormEvent) {
    e.preventDefault();
    if (await attempt(() => ops.attach(name, arn.trim()), setError)) {
      setArn('');
      await list.reload();
    }
  }
  async function detach(a: string) {
    if (await attempt(() => ops.detach(name, a), setError)) await list.reload();
  }

  return (
    <section className="iam-sub" aria-label={`Managed policies of ${name}`}>
      <h4>Attached managed policies</h4>
      <ErrorBox error={error ?? list.error} />
      {list.data && list.data.length === 0 ? <Empty>No managed policies attached.</Empty> : null}
      <ul className="iam-list">
        {list.data?.map((p) => (
          <li key={p.arn}>
            <ArnLink arn={p.arn} />{' '}
            {p.arn.startsWith(AWS_MANAGED_PREFIX) ? <span className="badge">AWS managed</span> : null}{' '}
            <button type="button" onClick={() => void detach(p.arn)}>
              Detach {p.name}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={attach} className="inline">
        <label>
          Managed policy ARN
          <input value={arn} onChange={(e) => setArn(e.target.value)} list={listId} required />
        </label>
        <datalist id={listId}>
          {arns.data?.map((a) => (
            <option key={a.arn} value={a.arn} label={a.kind} />
          ))}
        </datalist>
        <button type="submit">Attach policy</button>
      </form>
    </section>
  );
}

export function PermissionsBoundary({
  clients,
  kind,
  name,
  current,
  onChanged,
}: {
  clients: Clients;
  kind: 'User' | 'Role';
  name: string;
  current: string | undefined;
  onChanged: () => Promise<void>;
}) {
  const [arn, setArn] = useState('');
  const [error, setError] = useState<string>();

  async function put(e: FormEvent) {
    e.preventDefault();
    const a = arn.trim();
    const ok = await attempt(
      () =>
        kind === 'User'
          ? clients.iam.send(
              new PutUserPermissionsBoundaryCommand({ UserName: name, PermissionsBoundary: a }),
            )
          : clients.iam.send(
              new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: a }),
            ),
      setError,
    );
    if (ok) {
      setArn('');
      await onChanged();
    }
  }
  async function remove() {
    const ok = await attempt(
      () =>
        kind === 'User'
          ? clients.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: name }))
          : clients.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: name })),
      setError,
    );
    if (ok) await onChanged();
  }

  return (
    <section className="iam-sub" aria-label={`Permissions boundary of ${name}`}>
      <h4>Permissions boundary</h4>
      {current ? (
        <p>
          <span data-testid="boundary-arn">
            <ArnLink arn={current} />
          </span>{' '}
          <button type="button" onClick={() => void remove()}>
            Remove boundary
          </button>
        </p>
      ) : (
        <Empty>No permissions boundary.</Empty>
      )}
      <form onSubmit={put} className="inline">
        <label>
          Boundary policy ARN
          <input value={arn} onChange={(e) => setArn(e.target.value)} required />
        </label>
        <button type="submit">Set boundary</button>
      </form>
      <WhatIfPreview
        clients={clients}
        disabled={!arn.trim()}
        change={() => ({
          Operation: `Put${kind}PermissionsBoundary`,
          [`${kind}Name`]: name,
          PermissionsBoundary: arn.trim(),
        })}
      />
      <ErrorBox error={error} />
    </section>
  );
}
