// Email receiving (SES v1): the account's receipt rule sets (create, clone, activate, delete; a
// set's rules in rules.tsx) and its IP filters. Every change goes through the SES API with the
// signed-in key, so IAM decides what this console may do.
import { useState, type FormEvent } from 'react';
import {
  CloneReceiptRuleSetCommand,
  CreateReceiptFilterCommand,
  CreateReceiptRuleSetCommand,
  DeleteReceiptFilterCommand,
  DeleteReceiptRuleSetCommand,
  DescribeActiveReceiptRuleSetCommand,
  ListReceiptFiltersCommand,
  ListReceiptRuleSetsCommand,
  SetActiveReceiptRuleSetCommand,
} from '@aws-sdk/client-ses';
import type { Clients } from './api.js';
import { ListTable, RowButton } from './list-table.js';
import { attempt, useLoad } from './ui.js';
import { RuleSetRules } from './receiving-rules.js';
import './account.css';

export function Receiving({ clients, region }: { clients: Clients; region: string }) {
  const [status, setStatus] = useState<string>();
  const [open, setOpen] = useState<string>();
  return (
    <section aria-labelledby="receiving-h" className="account">
      <h2 id="receiving-h">Email receiving ({region})</h2>
      {status ? <p role="status">{status}</p> : null}
      <RuleSets clients={clients} onStatus={setStatus} open={open} onOpen={setOpen} />
      {open ? <RuleSetRules key={open} clients={clients} ruleSet={open} onStatus={setStatus} /> : null}
      <Filters clients={clients} onStatus={setStatus} />
    </section>
  );
}

function RuleSets(p: {
  clients: Clients;
  onStatus: (s: string) => void;
  open: string | undefined;
  onOpen: (name: string | undefined) => void;
}) {
  const { clients, onStatus } = p;
  const [version, setVersion] = useState(0);
  const sets = useLoad(async () => {
    const [list, active] = await Promise.all([
      clients.ses.send(new ListReceiptRuleSetsCommand({})),
      clients.ses.send(new DescribeActiveReceiptRuleSetCommand({})),
    ]);
    return { names: (list.RuleSets ?? []).map((s) => s.Name!), active: active.Metadata?.Name };
  }, [clients, version]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const refresh = () => setVersion((v) => v + 1);
  const run = async (fn: () => Promise<unknown>, done: string) => {
    if (await attempt(fn, setError)) {
      onStatus(done);
      refresh();
      return true;
    }
    return false;
  };

  async function create(e: FormEvent) {
    e.preventDefault();
    const n = name.trim();
    if (
      await run(
        () => clients.ses.send(new CreateReceiptRuleSetCommand({ RuleSetName: n })),
        `Created rule set ${n}.`,
      )
    )
      setName('');
  }

  return (
    <section className="panel" aria-labelledby="sets-h">
      <h3 id="sets-h">Receipt rule sets</h3>
      <form className="inline" onSubmit={create}>
        <label>
          Rule set name
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">Create rule set</button>
      </form>
      <ListTable
        rows={sets.data?.names}
        loading={sets.loading}
        error={error ?? sets.error}
        empty="No receipt rule set yet: mail is not received."
        testId="rule-sets"
        rowKey={(n) => n}
        open={(n) => p.open === n}
        find={{ noun: 'rule sets', text: (n) => n }}
        columns={[
          { header: 'Name', cell: (n) => n, className: 'mono', sort: (n) => n },
          { header: 'Status', cell: (n) => (sets.data?.active === n ? 'Active' : 'Inactive') },
        ]}
        actions={(n) => (
          <>
            <RowButton
              verb={p.open === n ? 'Close' : 'Rules'}
              object={`of ${n}`}
              onClick={() => p.onOpen(p.open === n ? undefined : n)}
            />
            {sets.data?.active === n ? (
              <RowButton
                verb="Deactivate"
                object={n}
                onClick={() =>
                  void run(
                    () => clients.ses.send(new SetActiveReceiptRuleSetCommand({})),
                    'Receiving is off: no rule set is active.',
                  )
                }
              />
            ) : (
              <RowButton
                verb="Activate"
                object={n}
                onClick={() =>
                  void run(
                    () => clients.ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: n })),
                    `Rule set ${n} is now active.`,
                  )
                }
              />
            )}
            <RowButton
              verb="Clone"
              object={n}
              onClick={() =>
                void run(
                  () =>
                    clients.ses.send(
                      new CloneReceiptRuleSetCommand({ OriginalRuleSetName: n, RuleSetName: `${n}-copy` }),
                    ),
                  `Cloned ${n} as ${n}-copy.`,
                )
              }
            />
            <RowButton
              verb="Delete"
              object={n}
              danger
              onClick={() =>
                void run(async () => {
                  await clients.ses.send(new DeleteReceiptRuleSetCommand({ RuleSetName: n }));
                  if (p.open === n) p.onOpen(undefined);
                }, `Deleted rule set ${n}.`)
              }
            />
          </>
        )}
      />
    </section>
  );
}

function Filters({ clients, onStatus }: { clients: Clients; onStatus: (s: string) => void }) {
  const [version, setVersion] = useState(0);
  const filters = useLoad(() => clients.ses.send(new ListReceiptFiltersCommand({})), [clients, version]);
  const [name, setName] = useState('');
  const [cidr, setCidr] = useState('');
  const [policy, setPolicy] = useState<'Block' | 'Allow'>('Block');
  const [error, setError] = useState<string>();

  async function create(e: FormEvent) {
    e.preventDefault();
    const filter = { Name: name.trim(), IpFilter: { Policy: policy, Cidr: cidr.trim() } };
    if (await attempt(() => clients.ses.send(new CreateReceiptFilterCommand({ Filter: filter })), setError)) {
      onStatus(`Created IP filter ${filter.Name} (${policy} ${filter.IpFilter.Cidr}).`);
      setName('');
      setCidr('');
      setVersion((v) => v + 1);
    }
  }

  async function remove(n: string) {
    if (await attempt(() => clients.ses.send(new DeleteReceiptFilterCommand({ FilterName: n })), setError)) {
      onStatus(`Deleted IP filter ${n}.`);
      setVersion((v) => v + 1);
    }
  }

  return (
    <section className="panel" aria-labelledby="filters-h">
      <h3 id="filters-h">IP address filters</h3>
      <p>
        Applied before any rule: a Block filter refuses the sender's address even where an Allow filter also
        matches.
      </p>
      <form className="inline" onSubmit={create}>
        <label>
          Filter name
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          IP address or CIDR range
          <input value={cidr} onChange={(e) => setCidr(e.target.value)} />
        </label>
        <label>
          Policy
          <select value={policy} onChange={(e) => setPolicy(e.target.value as 'Block' | 'Allow')}>
            <option>Block</option>
            <option>Allow</option>
          </select>
        </label>
        <button type="submit">Create filter</button>
      </form>
      <ListTable
        rows={filters.data && (filters.data.Filters ?? [])}
        loading={filters.loading}
        error={error ?? filters.error}
        empty="No IP filter."
        testId="filters"
        rowKey={(f) => f.Name ?? ''}
        columns={[
          { header: 'Name', cell: (f) => f.Name, className: 'mono', sort: (f) => f.Name },
          { header: 'Policy', cell: (f) => f.IpFilter?.Policy, sort: (f) => f.IpFilter?.Policy },
          { header: 'Range', cell: (f) => f.IpFilter?.Cidr, className: 'mono' },
        ]}
        actions={(f) => (
          <RowButton verb="Delete" object={`filter ${f.Name}`} danger onClick={() => void remove(f.Name!)} />
        )}
      />
    </section>
  );
}
