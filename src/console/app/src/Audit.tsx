// The audit log (GET /sesame/audit/events): filters by principal, action (event name), decision and
// time, paged on the server (newest first, `before` for older pages), and a live tail that polls
// with `after` every two seconds. "Why?" on a denial opens the simulator on it.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { readJson, type Clients } from './api.js';
import type { SimulatorPrefill } from './Simulator.js';
import { whyPrefill, type RecordedContext } from './audit-why.js';
import { ArnLink } from './links.js';
import { ListTable, type Column } from './list-table.js';
import './audit.css';

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
  requestId: string;
  explanation?: unknown;
  requestContext?: RecordedContext | null;
}

interface Page {
  Events: AuditRecord[];
  NextBefore?: number;
}

interface Filter {
  principal: string;
  eventName: string;
  decision: string;
  since: string;
  until: string;
}

const NO_FILTER: Filter = { principal: '', eventName: '', decision: '', since: '', until: '' };
const DENIED = new Set(['ImplicitDeny', 'ExplicitDeny']);
const PAGE = 100;
const TAIL_BATCH = 200;
const TAIL_EVERY_MS = 2000;
/** The tail keeps this many rows on screen; older ones stay reachable with "Load older". */
const MAX_ROWS = 1000;

/** A datetime-local value (the browser's local time) as ISO 8601 for the API. */
const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** A record's actions (several break between them, never inside one) and resources. */
function ActionsOn({ r }: { r: AuditRecord }) {
  return (
    <>
      {r.actions.length
        ? r.actions.map((a, i) => (
            <span key={a}>
              {i > 0 ? ', ' : ''}
              <span className="mono nowrap">{a}</span>
            </span>
          ))
        : '—'}{' '}
      on{' '}
      {r.resources.length
        ? r.resources.map((x, i) => (
            <span key={x}>
              {i > 0 ? ', ' : ''}
              <ArnLink arn={x} />
            </span>
          ))
        : '—'}
    </>
  );
}

const COLUMNS: Column<AuditRecord>[] = [
  {
    header: 'Time',
    className: 'when',
    cell: (r) => (
      <time dateTime={r.eventTime} title={r.eventTime}>
        {r.eventTime.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}
      </time>
    ),
  },
  { header: 'Principal', cell: (r) => (r.principalArn ? <ArnLink arn={r.principalArn} /> : '—') },
  {
    header: 'Event',
    testId: 'event',
    cell: (r) => `${r.eventSource.replace('.amazonaws.com', '')}:${r.eventName}`,
  },
  { header: 'Actions / resources', cell: (r) => <ActionsOn r={r} /> },
  {
    header: 'Decision',
    className: (r) => `decision ${r.decision[0]?.toLowerCase()}${r.decision.slice(1)}`,
    cell: (r) => r.decision,
  },
  // The error's message on hover.
  { header: 'Error', cell: (r) => <span title={r.errorMessage ?? ''}>{r.errorCode ?? ''}</span> },
];

export function Audit({ clients, onWhy }: { clients: Clients; onWhy: (p: SimulatorPrefill) => void }) {
  const [form, setForm] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [rows, setRows] = useState<AuditRecord[]>();
  const [nextBefore, setNextBefore] = useState<number>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [tailing, setTailing] = useState(false);
  const [tailError, setTailError] = useState<string>();
  const rowsRef = useRef<AuditRecord[]>([]);
  const lastSeq = useRef(0);
  // This page's own LookupEvents calls: the tail does not echo them back.
  const own = useRef(new Set<string>());
  const nextBeforeRef = useRef<number | undefined>(undefined);
  nextBeforeRef.current = nextBefore;

  const show = (next: AuditRecord[], older: number | undefined) => {
    rowsRef.current = next;
    setRows(next);
    setNextBefore(older);
  };

  const lookup = useCallback(
    async (extra: Record<string, string>): Promise<Page> => {
      const res = await clients.sesame('/sesame/audit/events', {
        principal: filter.principal,
        eventName: filter.eventName,
        decision: filter.decision,
        since: iso(filter.since),
        until: iso(filter.until),
        ...extra,
      });
      const id = res.headers.get('x-amzn-requestid');
      if (id) own.current.add(id);
      return readJson<Page>(res);
    },
    [clients, filter],
  );

  // A new filter: the newest page.
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(undefined);
    lookup({ limit: String(PAGE) })
      .then((p) => {
        if (cancelled) return;
        show(p.Events, p.NextBefore);
        lastSeq.current = p.Events[0]?.seq ?? 0;
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        show([], undefined);
        setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [lookup]);

  // The live tail: records after the newest one seen, with the same filters, on top.
  useEffect(() => {
    if (!tailing || loading) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        for (;;) {
          const p = await lookup({ after: String(lastSeq.current), limit: String(TAIL_BATCH) });
          if (stopped) return;
          const last = p.Events.at(-1);
          if (last) lastSeq.current = last.seq;
          const fresh = p.Events.filter((r) => !own.current.has(r.requestId)).reverse();
          if (fresh.length > 0) {
            const all = [...fresh, ...rowsRef.current];
            if (all.length > MAX_ROWS) show(all.slice(0, MAX_ROWS), all[MAX_ROWS - 1]!.seq);
            else show(all, nextBeforeRef.current);
          }
          if (p.Events.length < TAIL_BATCH) break;
        }
        setTailError(undefined);
      } catch (e) {
        if (!stopped) setTailError(e instanceof Error ? e.message : String(e));
      }
      if (!stopped) timer = setTimeout(() => void tick(), TAIL_EVERY_MS);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [tailing, loading, lookup]);

  async function older() {
    if (nextBefore === undefined) return;
    try {
      const p = await lookup({ before: String(nextBefore), limit: String(PAGE) });
      show([...rowsRef.current, ...p.Events], p.NextBefore);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilter({ ...form, principal: form.principal.trim(), eventName: form.eventName.trim() });
  }

  function clear() {
    setForm(NO_FILTER);
    setFilter(NO_FILTER);
  }

  const set = (k: keyof Filter) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });

  return (
    <section aria-labelledby="audit-h" className="audit">
      <h2 id="audit-h">Audit log</h2>
      <form onSubmit={apply} className="inline audit-filters">
        <label>
          Principal ARN
          <input value={form.principal} onChange={set('principal')} placeholder="arn:aws:iam::…:user/…" />
        </label>
        <label>
          Action (event name)
          <input value={form.eventName} onChange={set('eventName')} placeholder="SendEmail" />
        </label>
        <label>
          Decision
          <select value={form.decision} onChange={set('decision')}>
            <option value="">Any</option>
            <option value="Allowed">Allowed</option>
            <option value="ImplicitDeny">ImplicitDeny</option>
            <option value="ExplicitDeny">ExplicitDeny</option>
            <option value="NotEvaluated">NotEvaluated</option>
            <option value="Unauthenticated">Unauthenticated</option>
          </select>
        </label>
        <label>
          Since
          <input type="datetime-local" step="1" value={form.since} onChange={set('since')} />
        </label>
        <label>
          Until
          <input type="datetime-local" step="1" value={form.until} onChange={set('until')} />
        </label>
        <div className="buttons">
          <button type="submit">Filter</button>
          <button type="button" onClick={clear}>
            Reset
          </button>
          <button type="button" aria-pressed={tailing} onClick={() => setTailing(!tailing)} className="tail">
            Live tail
          </button>
        </div>
      </form>
      <p role="status" className="tail-status">
        {tailing ? 'Live tail on: new records appear at the top every 2 seconds.' : ''}
      </p>
      <ListTable
        rows={rows}
        loading={loading}
        error={error ?? tailError}
        empty="No audit records match."
        className="audit-table"
        rowKey={(r) => r.eventId}
        rowData={(r) => ({ 'data-decision': r.decision, 'data-seq': r.seq })}
        columns={COLUMNS}
        actionsHeader="Explain"
        actions={(r) =>
          DENIED.has(r.decision) ? (
            <button
              type="button"
              aria-label={`Why was ${r.eventName} denied?`}
              onClick={() => onWhy(whyPrefill(r))}
            >
              Why?
            </button>
          ) : null
        }
        // Every record the server sent stays on screen: "Load older records" is the paging here.
        pageSize={Infinity}
        more={
          nextBefore === undefined ? undefined : { label: 'Load older records', load: () => void older() }
        }
      />
    </section>
  );
}
