// The rules of one receipt rule set, in the order SES evaluates them: reorder (ReorderReceiptRuleSet),
// enable or disable, edit (UpdateReceiptRule), delete, and add a rule at the end. A rule's actions
// are edited as the API's own JSON (`[{"S3Action": {…}}, …]`), the recipients one per line.
import { useState, type FormEvent } from 'react';
import {
  CreateReceiptRuleCommand,
  DeleteReceiptRuleCommand,
  DescribeReceiptRuleSetCommand,
  ReorderReceiptRuleSetCommand,
  UpdateReceiptRuleCommand,
  type ReceiptAction,
  type ReceiptRule,
} from '@aws-sdk/client-ses';
import type { Clients } from './api.js';
import { ListTable, RowButton } from './list-table.js';
import { attempt, ErrorBox, useLoad } from './ui.js';

const actionNames = (r: ReceiptRule) =>
  (r.Actions ?? []).flatMap((a) => Object.keys(a).filter((k) => a[k as keyof ReceiptAction])).join(', ') ||
  '—';

export function RuleSetRules(p: { clients: Clients; ruleSet: string; onStatus: (s: string) => void }) {
  const { clients, ruleSet, onStatus } = p;
  const [version, setVersion] = useState(0);
  const set = useLoad(
    () => clients.ses.send(new DescribeReceiptRuleSetCommand({ RuleSetName: ruleSet })),
    [clients, ruleSet, version],
  );
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<ReceiptRule | 'new'>();
  const rules = set.data?.Rules ?? [];
  const refresh = () => setVersion((v) => v + 1);
  const run = async (fn: () => Promise<unknown>, done: string) => {
    if (await attempt(fn, setError)) {
      onStatus(done);
      refresh();
      return true;
    }
    return false;
  };

  const move = (i: number, by: -1 | 1) => {
    const order = rules.map((r) => r.Name!);
    [order[i], order[i + by]] = [order[i + by]!, order[i]!];
    void run(
      () => clients.ses.send(new ReorderReceiptRuleSetCommand({ RuleSetName: ruleSet, RuleNames: order })),
      `Moved ${rules[i]!.Name} ${by < 0 ? 'up' : 'down'}.`,
    );
  };

  return (
    <section className="panel" aria-labelledby="rules-h" data-testid="rules-panel">
      <h3 id="rules-h">Rules of {ruleSet}</h3>
      <p>
        Evaluated top to bottom for each recipient; a rule without recipients applies to every verified
        domain.
      </p>
      <ListTable
        rows={set.data && rules}
        loading={set.loading}
        error={error ?? set.error}
        empty="This rule set has no rules."
        testId="rules"
        rowKey={(r) => r.Name ?? ''}
        actionsHeader="Change"
        columns={[
          { header: '#', cell: (_r, i) => i + 1 },
          { header: 'Name', cell: (r) => r.Name, className: 'mono' },
          { header: 'Status', cell: (r) => (r.Enabled ? 'Enabled' : 'Disabled') },
          {
            header: 'Recipients',
            cell: (r) => (r.Recipients ?? []).join(', ') || 'all verified domains',
            className: 'mono',
          },
          { header: 'Actions', cell: actionNames },
          {
            header: 'TLS, scan',
            cell: (r) =>
              `${r.TlsPolicy === 'Require' ? 'TLS required' : 'TLS optional'}${r.ScanEnabled ? ', scanned' : ''}`,
          },
        ]}
        actions={(r, i) => (
          <>
            <RowButton verb="Move up" object={r.Name!} disabled={i === 0} onClick={() => move(i, -1)} />
            <RowButton
              verb="Move down"
              object={r.Name!}
              disabled={i === rules.length - 1}
              onClick={() => move(i, 1)}
            />
            <RowButton
              verb={r.Enabled ? 'Disable' : 'Enable'}
              object={r.Name!}
              onClick={() =>
                void run(
                  () =>
                    clients.ses.send(
                      new UpdateReceiptRuleCommand({
                        RuleSetName: ruleSet,
                        Rule: { ...r, Enabled: !r.Enabled },
                      }),
                    ),
                  `${r.Enabled ? 'Disabled' : 'Enabled'} rule ${r.Name}.`,
                )
              }
            />
            <RowButton verb="Edit" object={r.Name!} onClick={() => setEditing(r)} />
            <RowButton
              verb="Delete"
              object={`rule ${r.Name}`}
              danger
              onClick={() =>
                void run(
                  () =>
                    clients.ses.send(
                      new DeleteReceiptRuleCommand({ RuleSetName: ruleSet, RuleName: r.Name! }),
                    ),
                  `Deleted rule ${r.Name}.`,
                )
              }
            />
          </>
        )}
      />
      {editing ? (
        <RuleForm
          key={editing === 'new' ? 'new' : editing.Name}
          rule={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(undefined)}
          onSave={async (rule) => {
            const isNew = editing === 'new';
            const last = rules.at(-1)?.Name;
            const ok = await run(
              () =>
                clients.ses.send(
                  isNew
                    ? new CreateReceiptRuleCommand({
                        RuleSetName: ruleSet,
                        Rule: rule,
                        ...(last ? { After: last } : {}),
                      })
                    : new UpdateReceiptRuleCommand({ RuleSetName: ruleSet, Rule: rule }),
                ),
              `${isNew ? 'Created' : 'Saved'} rule ${rule.Name}.`,
            );
            if (ok) setEditing(undefined);
          }}
        />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          Add a rule
        </button>
      )}
    </section>
  );
}

function RuleForm(p: {
  rule?: ReceiptRule;
  onSave: (r: ReceiptRule) => Promise<void>;
  onCancel: () => void;
}) {
  const r = p.rule;
  const [name, setName] = useState(r?.Name ?? '');
  const [enabled, setEnabled] = useState(r?.Enabled ?? true);
  const [tls, setTls] = useState(r?.TlsPolicy ?? 'Optional');
  const [scan, setScan] = useState(r?.ScanEnabled ?? false);
  const [recipients, setRecipients] = useState((r?.Recipients ?? []).join('\n'));
  const [actions, setActions] = useState(JSON.stringify(r?.Actions ?? [], null, 2));
  const [error, setError] = useState<string>();

  async function save(e: FormEvent) {
    e.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(actions);
    } catch (err) {
      setError(`Actions are not JSON: ${(err as Error).message}`);
      return;
    }
    if (!Array.isArray(parsed)) return setError('Actions must be a JSON array of actions.');
    setError(undefined);
    await p.onSave({
      Name: name.trim(),
      Enabled: enabled,
      TlsPolicy: tls,
      ScanEnabled: scan,
      Recipients: recipients.split(/\s*[\n,]\s*/).filter(Boolean),
      Actions: parsed as ReceiptAction[],
    });
  }

  return (
    <form onSubmit={save} aria-label={r ? `Edit rule ${r.Name}` : 'New rule'} data-testid="rule-form">
      <label>
        Rule name
        <input value={name} readOnly={!!r} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="radio">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      <label className="radio">
        <input type="checkbox" checked={scan} onChange={(e) => setScan(e.target.checked)} />
        Scan for spam and viruses
      </label>
      <label>
        TLS
        <select value={tls} onChange={(e) => setTls(e.target.value as 'Optional' | 'Require')}>
          <option value="Optional">Optional</option>
          <option value="Require">Require</option>
        </select>
      </label>
      <label>
        Recipients (one per line: an address, a domain, or .domain for its subdomains)
        <textarea rows={3} value={recipients} onChange={(e) => setRecipients(e.target.value)} />
      </label>
      <label>
        Actions (JSON, as the API takes them)
        <textarea
          rows={8}
          className="code"
          value={actions}
          onChange={(e) => setActions(e.target.value)}
          placeholder='[{"S3Action": {"BucketName": "mail", "ObjectKeyPrefix": "in/"}}]'
        />
      </label>
      <ErrorBox error={error} />
      <button type="submit">{r ? 'Save rule' : 'Create rule'}</button>{' '}
      <button type="button" onClick={p.onCancel}>
        Cancel
      </button>
    </form>
  );
}
