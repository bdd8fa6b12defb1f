// One customer managed policy: its versions (view, set default, delete, create a new one) and the
// users, groups and roles it is attached to.
import { useState } from 'react';
import {
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyVersionCommand,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { Arn } from './arn.js';
import { PolicyForm, prettyDocument } from './policy-form.js';
import { entityHref } from './links.js';
import { attempt, Empty, ErrorBox, useLoad } from './ui.js';

export interface Entities {
  users: string[];
  groups: string[];
  roles: string[];
}

export async function entitiesFor(iam: IAMClient, arn: string): Promise<Entities> {
  const out = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, MaxItems: 1000 }));
  return {
    users: (out.PolicyUsers ?? []).map((u) => u.UserName ?? ''),
    groups: (out.PolicyGroups ?? []).map((g) => g.GroupName ?? ''),
    roles: (out.PolicyRoles ?? []).map((r) => r.RoleName ?? ''),
  };
}

export function PolicyDetail({
  clients,
  arn,
  name,
  defaultVersionId,
  onChanged,
}: {
  clients: Clients;
  arn: string;
  name: string;
  /** The default version when the policy was opened (ListPolicies' DefaultVersionId). */
  defaultVersionId: string;
  onChanged: () => Promise<void>;
}) {
  const versions = useLoad(
    async () => (await clients.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [],
    [clients, arn],
  );
  const entities = useLoad(() => entitiesFor(clients.iam, arn), [clients, arn]);
  const [viewing, setViewing] = useState<{ id: string; text: string }>();
  const [error, setError] = useState<string>();
  const [setAsDefault, setSetAsDefault] = useState(true);
  // The new-version form starts from the default version's document, loaded once: the version id
  // comes from the policy list, so this needs no wait for ListPolicyVersions (and no second fetch).
  const defaultDoc = useLoad(
    async () =>
      prettyDocument(
        (await clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: defaultVersionId })))
          .PolicyVersion?.Document,
      ),
    [clients, arn],
  );

  async function refresh() {
    await versions.reload();
    await onChanged();
  }
  async function view(id: string) {
    await attempt(async () => {
      const out = await clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: id }));
      setViewing({ id, text: prettyDocument(out.PolicyVersion?.Document) });
    }, setError);
  }
  async function makeDefault(id: string) {
    const ok = await attempt(
      () => clients.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: id })),
      setError,
    );
    if (ok) await refresh();
  }
  async function remove(id: string) {
    if (!window.confirm(`Delete version ${id} of ${name}?`)) return;
    const ok = await attempt(
      () => clients.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: id })),
      setError,
    );
    if (ok) {
      if (viewing?.id === id) setViewing(undefined);
      await refresh();
    }
  }

  return (
    <section className="iam-detail" aria-labelledby="policy-detail-h">
      <h3 id="policy-detail-h">Policy {name}</h3>
      <p>
        <Arn value={arn} />
      </p>
      <ErrorBox error={error ?? versions.error} />
      <section className="iam-sub" aria-label={`Versions of ${name}`}>
        <h4>Versions</h4>
        <ul className="iam-list">
          {versions.data?.map((v) => (
            <li key={v.VersionId} data-testid="policy-version">
              <span className="mono">{v.VersionId}</span>
              {v.IsDefaultVersion ? <strong>(default)</strong> : null}
              <span>{v.CreateDate?.toISOString()}</span>
              <button type="button" onClick={() => void view(v.VersionId ?? '')}>
                View {v.VersionId}
              </button>
              {v.IsDefaultVersion ? null : (
                <>
                  <button type="button" onClick={() => void makeDefault(v.VersionId ?? '')}>
                    Set {v.VersionId} as default
                  </button>
                  <button type="button" onClick={() => void remove(v.VersionId ?? '')}>
                    Delete {v.VersionId}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
        {viewing ? (
          <>
            <h5>Document of {viewing.id}</h5>
            <pre className="code" data-testid="version-document">
              {viewing.text}
            </pre>
          </>
        ) : null}
      </section>
      <section className="iam-sub" aria-label={`New version of ${name}`}>
        <h4>New version</h4>
        {defaultDoc.data !== undefined ? (
          <PolicyForm
            type="identity"
            withName={false}
            docLabel="New version document (JSON)"
            saveLabel="Create version"
            initialText={defaultDoc.data}
            // The replay assumes the new version becomes the default one.
            whatIf={{
              clients,
              change: (_n, text) => ({
                Operation: 'CreatePolicyVersion',
                PolicyArn: arn,
                PolicyDocument: text,
              }),
            }}
            onSave={async (_n, text) => {
              const out = await clients.iam.send(
                new CreatePolicyVersionCommand({
                  PolicyArn: arn,
                  PolicyDocument: text,
                  SetAsDefault: setAsDefault,
                }),
              );
              await refresh();
              return `Created version ${out.PolicyVersion?.VersionId ?? ''}.`;
            }}
          >
            <label className="radio">
              <input
                type="checkbox"
                checked={setAsDefault}
                onChange={(e) => setSetAsDefault(e.target.checked)}
              />
              Set as default version
            </label>
          </PolicyForm>
        ) : (
          <ErrorBox error={defaultDoc.error} />
        )}
      </section>
      <section className="iam-sub" aria-label={`Entities of ${name}`}>
        <h4>Attached to</h4>
        <ErrorBox error={entities.error} />
        {entities.data ? <EntityList e={entities.data} /> : null}
        <button type="button" onClick={() => void entities.reload()}>
          Refresh attachments
        </button>
      </section>
    </section>
  );
}

const PAGE_OF = { User: 'users', Group: 'groups', Role: 'roles' } as const;

export function EntityList({ e }: { e: Entities }) {
  const rows = [
    ...e.users.map((n) => ['User', n] as const),
    ...e.groups.map((n) => ['Group', n] as const),
    ...e.roles.map((n) => ['Role', n] as const),
  ];
  if (rows.length === 0) return <Empty>Not attached to any user, group or role.</Empty>;
  return (
    <ul className="iam-list" data-testid="policy-entities">
      {rows.map(([kind, n]) => (
        <li key={`${kind}:${n}`}>
          {kind} <a href={entityHref(PAGE_OF[kind], n)}>{n}</a>
        </li>
      ))}
    </ul>
  );
}
