// Captured mail (Sesame's mailbox API, signed for service `sesame`): a list paged from the server
// and windowed in the DOM, so thousands of messages stay fast; search and filters start the paging
// over; new mail appears by itself (live); one message opens beside the list (above it on narrow
// screens); what the filters show (or everything) can be deleted at once.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { readJson, type Clients } from './api.js';
import { attempt, Empty, ErrorBox } from './ui.js';
import { VirtualList, type VirtualListHandle } from './VirtualList.js';
import { MessageView } from './mailbox-message.js';
import { usePagedMessages } from './mailbox-paging.js';
import { LIST_PATH, NO_FILTERS, type MailboxFilters, type MessageSummary } from './mailbox-types.js';
import './mailbox.css';

/** Must match `.mailbox-row`'s height in mailbox.css. */
const ROW_HEIGHT = 60;
const DEBOUNCE_MS = 300;

/** The draft as the API wants it: trimmed, the local date-time input as an ISO instant. */
function applied(d: MailboxFilters): MailboxFilters {
  const since = d.since ? new Date(d.since) : undefined;
  return {
    q: d.q.trim(),
    recipient: d.recipient.trim(),
    identity: d.identity.trim(),
    since: since && !Number.isNaN(since.getTime()) ? since.toISOString() : '',
  };
}

const sameFilters = (a: MailboxFilters, b: MailboxFilters) =>
  a.q === b.q && a.recipient === b.recipient && a.identity === b.identity && a.since === b.since;

const shortDate = (iso: string | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString()
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
};

const rowKey = (m: MessageSummary) => m.Id;

function MessageRow({ m }: { m: MessageSummary }) {
  const outcomes = m.SimulatorOutcomes?.map((o) => o.Outcome);
  return (
    <div className="mailbox-row">
      <span className="mailbox-row-from" title={m.From}>
        {m.FromName ? (
          <>
            {m.FromName} <span className="mailbox-row-address">{m.From}</span>
          </>
        ) : (
          (m.From ?? '(no sender)')
        )}
      </span>
      <time className="mailbox-row-date" dateTime={m.DeliveredAt}>
        {shortDate(m.DeliveredAt)}
      </time>
      <span className="mailbox-row-subject">
        {m.Kind === 'simulated' ? (
          <span className="mailbox-badge" title="Sent to the mailbox simulator">
            Simulated: {[...new Set(outcomes)].join(', ')}
          </span>
        ) : m.Kind === 'auto-reply' ? (
          <span className="mailbox-badge">Auto-reply</span>
        ) : null}
        {m.Subject || '(no subject)'}
      </span>
      <span className="mailbox-row-to">to {m.Recipients.join(', ')}</span>
    </div>
  );
}

export function Mailbox({ clients }: { clients: Clients }) {
  const [draft, setDraft] = useState<MailboxFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<MailboxFilters>(NO_FILTERS);
  const [live, setLive] = useState(true);
  const list = usePagedMessages(clients, filters, live);
  const [deleteError, setDeleteError] = useState<string>();
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState<{ id: string; focus: boolean }>();
  const listRef = useRef<VirtualListHandle>(null);

  // Typing settles for a moment before the list starts over.
  useEffect(() => {
    const t = setTimeout(() => {
      const next = applied(draft);
      setFilters((prev) => (sameFilters(prev, next) ? prev : next));
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [draft]);

  // A new list (filters, refresh): no active row.
  useEffect(() => setActive(-1), [list.generation]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = applied(draft);
    // The same search again asks the server again (new mail may have arrived).
    if (sameFilters(filters, next)) list.reload();
    else setFilters(next);
  }

  const set = (k: keyof MailboxFilters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value }));

  const openMessage = useCallback((m: MessageSummary) => setOpen({ id: m.Id, focus: true }), []);

  function backToList() {
    const i = open ? list.items.findIndex((m) => m.Id === open.id) : -1;
    if (i >= 0) listRef.current?.focusRow(i);
    else document.getElementById('mailbox-q')?.focus();
  }

  const filtered = filters.recipient || filters.identity || filters.since;

  /** DELETE on the list with the same filters: what the list shows, or everything. */
  async function deleteShown() {
    const what = filters.q || filtered ? 'every message these filters match' : 'every message';
    if (!window.confirm(`Delete ${what}? This cannot be undone.`)) return;
    const ok = await attempt(async () => {
      const res = await clients.sesame(
        LIST_PATH,
        { q: filters.q, recipient: filters.recipient, identity: filters.identity, since: filters.since },
        { method: 'DELETE' },
      );
      await readJson(res);
    }, setDeleteError);
    if (ok) {
      setOpen(undefined);
      list.reload();
    }
  }
  const emptyText =
    filters.q && !filtered
      ? `No message matches “${filters.q}”.`
      : filters.q || filtered
        ? 'No message matches these filters.'
        : 'No captured messages yet. Mail sent through Sesame is captured here.';
  const status =
    list.loading && list.items.length === 0
      ? 'Loading messages…'
      : `${list.items.length}${list.hasMore ? '+' : ''} message${list.items.length === 1 ? '' : 's'}${list.loading ? ', loading more…' : ''}`;

  return (
    <section aria-labelledby="mailbox-h" className="mailbox">
      <h2 id="mailbox-h">Mailbox</h2>
      <form role="search" onSubmit={submit} className="mailbox-filters">
        <label className="mailbox-q">
          Search subject, sender, recipients
          <input id="mailbox-q" type="search" value={draft.q} onChange={set('q')} />
        </label>
        <label>
          Recipient
          <input
            type="email"
            value={draft.recipient}
            onChange={set('recipient')}
            placeholder="reader@example.com"
          />
        </label>
        <label>
          Sender identity
          <input type="text" value={draft.identity} onChange={set('identity')} placeholder="example.com" />
        </label>
        <label>
          Since
          <input type="datetime-local" value={draft.since} onChange={set('since')} />
        </label>
        <div className="mailbox-actions">
          <button type="submit">Search</button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
            disabled={sameFilters(draft, NO_FILTERS)}
          >
            Clear
          </button>
          <button type="button" onClick={list.reload}>
            Refresh
          </button>
          <label className="radio mailbox-live">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live
          </label>
          <button type="button" className="danger" onClick={() => void deleteShown()}>
            {filters.q || filtered ? 'Delete matching messages' : 'Delete all messages'}
          </button>
        </div>
      </form>
      <p className="mailbox-status" aria-live="polite" data-testid="mailbox-status">
        {status}
      </p>
      <ErrorBox error={deleteError} />
      <div className={`mailbox-layout${open ? ' has-message' : ''}`}>
        <div className="mailbox-listpane">
          {list.error ? (
            <div className="mailbox-error">
              <ErrorBox error={list.error} />
              <button type="button" onClick={list.retry}>
                Try again
              </button>
            </div>
          ) : null}
          {list.error && list.items.length === 0 ? null : !list.loading && list.items.length === 0 ? (
            <Empty>{emptyText}</Empty>
          ) : (
            <VirtualList
              key={list.generation} // a new list starts at its top
              ref={listRef}
              items={list.items}
              rowHeight={ROW_HEIGHT}
              getKey={rowKey}
              renderRow={(m) => <MessageRow m={m} />}
              label="Messages"
              idPrefix="mailbox-row"
              activeIndex={active}
              onActiveChange={setActive}
              onOpen={openMessage}
              {...(open ? { selectedKey: open.id } : {})}
              hasMore={list.hasMore && !list.error}
              loading={list.loading}
              onEndReached={list.loadMore}
              placeholderRows={list.items.length === 0 ? 12 : 4}
              className="mailbox-list"
            />
          )}
        </div>
        <div className="mailbox-messagepane">
          {open ? (
            <MessageView
              key={open.id}
              clients={clients}
              id={open.id}
              focusOnOpen={open.focus}
              onBack={backToList}
            />
          ) : (
            <Empty>Select a message to read it.</Empty>
          )}
        </div>
      </div>
    </section>
  );
}
