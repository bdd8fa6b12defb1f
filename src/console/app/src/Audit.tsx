// The audit log (GET /sesame/audit/events): filter by decision and principal; "Why?" on a denial
// opens the simulator with its principal, action and resource.
import { useState, type FormEvent } from 'react';
import type { Clients } from './api.js';
import type { SimulatorPrefill } from './Simulator.js';
import { Empty, ErrorBox, useLoad } from './ui.js';

interface AuditRecord {
  seq: number;
  eventId: string;
  eventTime: string;
  principalArn: string | null;
  sourceIp: string | null;
  eventSource: string;
  eventName: string;
  actions: string[];
  resources: string[];
  decision: string;
  errorCode: string | null;
  errorMessage: string | null;
}

const DENIED = new Set(['ImplicitDeny', 'ExplicitDeny']);

export function Audit({ clients, onWhy }: { clients: Clients; onWhy: (p: SimulatorPrefill) => void }) {
  const [decision, setDecision] = useState('');
  const [principal, setPrincipal] = useState('');
  const [filter, setFilter] = useState({ decision: '', principal: '' });
  const list = useLoad(
    async () =>
      (
        await clients.sesameJson<{ Events: AuditRecord[] }>('/sesame/audit/events', {
          ...filter,
          limit: '200',
        })
      ).Events,
    [clients, filter],
  );

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilter({ decision, principal: principal.trim() });
  }

  return (
    <section aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      <form onSubmit={apply} className="inline">
        <label>
          Decision
          <select value={decision} onChange={(e) => setDecision(e.target.value)}>
            <option value="">Any</option>
            <option value="Allowed">Allowed</option>
            <option value="ImplicitDeny">ImplicitDeny</option>
            <option value="ExplicitDeny">ExplicitDeny</option>
            <option value="NotEvaluated">NotEvaluated</option>
            <option value="Unauthenticated">Unauthenticated</option>
          </select>
        </label>
        <label>
          Principal ARN
          <input value={principal} onChange={(e) => setPrincipal(e.target.value)} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 ? <Empty>No audit records match.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Principal</th>
              <th>Event</th>
              <th>Actions / resources</th>
              <th>Decision</th>
              <th>Error</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((r) => (
              <tr key={r.eventId} data-decision={r.decision}>
                <td>{r.eventTime}</td>
                <td className="mono">{r.principalArn ?? '—'}</td>
                <td>
                  {r.eventSource.replace('.amazonaws.com', '')}:{r.eventName}
                </td>
                <td className="mono">
                  {r.actions.join(', ')} on {r.resources.join(', ') || '—'}
                </td>
                <td>{r.decision}</td>
                <td title={r.errorMessage ?? ''}>{r.errorCode ?? ''}</td>
                <td>
                  {DENIED.has(r.decision) ? (
                    <button
                      type="button"
                      aria-label={`Why was ${r.eventName} denied?`}
                      onClick={() =>
                        onWhy({
                          action: r.actions[0],
                          resource: r.resources[0] ?? '*',
                          principalArn:
                            r.principalArn && /:(user|role)\//.test(r.principalArn)
                              ? r.principalArn
                              : undefined,
                        })
                      }
                    >
                      Why?
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
