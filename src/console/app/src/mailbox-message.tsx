// One captured message: its addresses, then tabs for the HTML (its own document, in a sandboxed
// frame: no scripts, no same origin, so the mail can neither run code nor reach the console's key;
// remote images load only when asked, for this message), the text, headers, raw source,
// attachments (downloads) and the timeline. Escape (or "Back to list") returns to the list.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { errorText, failureText, type Clients } from './api.js';
import { ArnLink } from './links.js';
import { Empty, ErrorBox, useLoad } from './ui.js';
import { Tabs } from './mailbox-tabs.js';
import { InboundTimelineView } from './mailbox-inbound.js';
import { Attachments, HtmlPreview } from './mailbox-parts.js';
import {
  messagePath,
  type FullMessage,
  type InboundTimeline,
  type MessageTimeline,
} from './mailbox-types.js';

/** Raw sources beyond this are shown cut (the download has it all). */
const RAW_SHOWN = 512 * 1024;

export function MessageView({
  clients,
  id,
  focusOnOpen,
  onBack,
}: {
  clients: Clients;
  id: string;
  focusOnOpen: boolean;
  onBack: () => void;
}) {
  const msg = useLoad(() => clients.sesameJson<FullMessage>(messagePath(id)), [clients, id]);
  const timeline = useLoad(
    () => clients.sesameJson<MessageTimeline | InboundTimeline>(`${messagePath(id)}/timeline`),
    [clients, id],
  );
  const [tab, setTab] = useState<string>();
  const [rawWanted, setRawWanted] = useState(false);
  const article = useRef<HTMLElement>(null);

  useEffect(() => {
    if (focusOnOpen) article.current?.focus();
  }, [focusOnOpen]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    onBack();
  }

  const m = msg.data;
  const selected = tab ?? (m?.Html ? 'html' : 'text');
  const select = (t: string) => {
    setTab(t);
    if (t === 'raw') setRawWanted(true);
  };

  return (
    <article
      ref={article}
      tabIndex={-1}
      aria-labelledby="message-h"
      aria-busy={msg.loading || undefined}
      className="mailbox-message"
      onKeyDown={onKeyDown}
    >
      <p className="mailbox-back">
        <button type="button" onClick={onBack}>
          ← Back to list
        </button>
      </p>
      <ErrorBox error={msg.error} />
      {msg.error ? (
        <button type="button" onClick={() => void msg.reload()}>
          Try again
        </button>
      ) : null}
      {msg.loading && !m ? <MessageSkeleton /> : null}
      {m ? (
        <>
          <h3 id="message-h">{m.Subject || '(no subject)'}</h3>
          <dl className="mailbox-addresses">
            <dt>From</dt>
            <dd data-testid="message-from">
              {m.FromName ? `${m.FromName} <${m.From.join(', ')}>` : m.From.join(', ') || '—'}
            </dd>
            <dt>To</dt>
            <dd>{m.To.join(', ') || '—'}</dd>
            {m.Cc.length ? (
              <>
                <dt>Cc</dt>
                <dd>{m.Cc.join(', ')}</dd>
              </>
            ) : null}
            <dt>Date</dt>
            <dd>{m.Date ? <time dateTime={m.Date}>{new Date(m.Date).toLocaleString()}</time> : '—'}</dd>
            {m.SimulatorOutcomes ? (
              <>
                <dt>Simulated</dt>
                <dd data-testid="simulator-outcomes">
                  {m.SimulatorOutcomes.map((o) => `${o.Recipient}: ${o.Outcome}`).join('; ')}
                </dd>
              </>
            ) : null}
          </dl>
          <Tabs
            idPrefix={`msg-${id}`}
            label="Message views"
            selected={selected}
            onSelect={select}
            tabs={[
              {
                id: 'html',
                label: 'HTML',
                panel: m.Html ? (
                  <HtmlPreview clients={clients} id={id} remoteImages={m.RemoteImages ?? 0} />
                ) : (
                  <Empty>No HTML part.</Empty>
                ),
              },
              {
                id: 'text',
                label: 'Text',
                panel: m.Text ? (
                  <pre className="text" data-testid="message-text">
                    {m.Text}
                  </pre>
                ) : (
                  <Empty>No text part.</Empty>
                ),
              },
              {
                id: 'headers',
                label: `Headers (${m.Headers.length})`,
                panel: <HeaderTable headers={m.Headers} />,
              },
              { id: 'raw', label: 'Raw', panel: <RawSource clients={clients} id={id} wanted={rawWanted} /> },
              {
                id: 'attachments',
                label: `Attachments (${m.Attachments.length})`,
                panel: m.Attachments.length ? (
                  <Attachments clients={clients} id={id} attachments={m.Attachments} />
                ) : (
                  <Empty>No attachments.</Empty>
                ),
              },
              {
                id: 'timeline',
                label: 'Timeline',
                panel: (
                  <>
                    <ErrorBox error={timeline.error} />
                    {timeline.data ? (
                      'Kind' in timeline.data ? (
                        <InboundTimelineView t={timeline.data} />
                      ) : (
                        <TimelineView t={timeline.data} />
                      )
                    ) : timeline.loading ? (
                      <p>Loading…</p>
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </article>
  );
}

function MessageSkeleton() {
  return (
    <div aria-hidden="true" className="mailbox-skeleton">
      <div className="bar wide" />
      <div className="bar" />
      <div className="bar" />
      <div className="block" />
    </div>
  );
}

function HeaderTable({ headers }: { headers: FullMessage['Headers'] }) {
  return (
    <table className="mailbox-headers">
      <tbody>
        {headers.map((h, i) => (
          <tr key={i}>
            <th scope="row">{h.Name}</th>
            <td className="mono">{h.Value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The MIME as received: fetched (signed) on first view, shown as text and offered as an .eml. */
function RawSource({ clients, id, wanted }: { clients: Clients; id: string; wanted: boolean }) {
  const [raw, setRaw] = useState<{ text: string; url: string; size: number }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  useEffect(() => () => (raw ? URL.revokeObjectURL(raw.url) : undefined), [raw]);

  async function load() {
    setError(undefined);
    setLoading(true);
    try {
      const res = await clients.sesame(messagePath(id), { format: 'raw' });
      if (!res.ok) throw new Error(await failureText(res));
      const bytes = await res.arrayBuffer();
      const text = new TextDecoder('utf-8').decode(bytes.slice(0, RAW_SHOWN));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'message/rfc822' }));
      setRaw({ text, url, size: bytes.byteLength });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }

  // Loads once, when the tab is first shown; a failure waits for "Try again".
  useEffect(() => {
    if (wanted && !raw && !loading && !error) void load();
  }, [wanted]);

  if (error)
    return (
      <>
        <ErrorBox error={error} />
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </>
    );
  if (!raw) return <p>{loading ? 'Loading…' : 'The raw source loads when this tab opens.'}</p>;
  return (
    <>
      <p>
        <a href={raw.url} download={`${id}.eml`}>
          Download raw message (.eml, {raw.size} bytes)
        </a>
      </p>
      <pre className="code mailbox-raw" data-testid="message-raw">
        {raw.text}
      </pre>
      {raw.size > RAW_SHOWN ? <Empty>Only the first {RAW_SHOWN / 1024} KiB are shown.</Empty> : null}
    </>
  );
}

function TimelineView({ t }: { t: MessageTimeline }) {
  return (
    <>
      <ol data-testid="timeline" className="mailbox-timeline">
        <li>
          <time dateTime={t.Accepted.Timestamp}>{t.Accepted.Timestamp}</time>: accepted (
          {t.Accepted.Operation} by <ArnLink arn={t.Accepted.PrincipalArn} />)
        </li>
        {t.Authorization ? (
          <li>
            authorization: {t.Authorization.Decision} for {t.Authorization.Actions.join(', ')} on{' '}
            {t.Authorization.Resources.map((r, i) => (
              <span key={r}>
                {i > 0 ? ', ' : ''}
                <ArnLink arn={r} />
              </span>
            ))}{' '}
            (request <span className="mono">{t.Authorization.RequestId}</span>)
          </li>
        ) : null}
        {t.Events.map((e) => (
          <li key={e.EventId}>
            <time dateTime={e.Timestamp}>{e.Timestamp}</time>: {e.Type} {e.Recipients.join(', ')}
          </li>
        ))}
        <li>
          Status: {t.Status}, {t.Attempts} attempt(s)
          {t.NextAttemptAt ? `, next attempt ${t.NextAttemptAt}` : ''}
        </li>
      </ol>
      {t.LastError ? <ErrorBox error={`Last error: ${t.LastError}`} /> : null}
    </>
  );
}
