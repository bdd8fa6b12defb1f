// Captured mail (Sesame's mailbox API, signed for service `sesame`): search, open one message.
import { useEffect, useState, type FormEvent } from 'react';
import type { Clients } from './api.js';
import { errorText } from './api.js';
import { Empty, ErrorBox, useLoad } from './ui.js';

interface Summary {
  Id: string;
  MessageId: string;
  From?: string;
  Recipients: string[];
  Subject?: string;
  AcceptedAt?: string;
  DeliveredAt?: string;
}

interface Full {
  Id: string;
  Subject?: string;
  From: string[];
  To: string[];
  Cc: string[];
  Date?: string;
  Headers: { Name: string; Value: string }[];
  Text?: string;
  Html?: string;
  Attachments: { Filename?: string; ContentType: string; Size: number }[];
}

interface Timeline {
  MessageId: string;
  Status: string;
  Attempts: number;
  Accepted: { Timestamp: string; Operation: string; PrincipalArn: string };
  Events: { EventId: string; Type: string; Timestamp: string; Recipients: string[] }[];
}

export function Mailbox({ clients }: { clients: Clients }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<string>();
  const list = useLoad(
    async () =>
      (await clients.sesameJson<{ Messages: Summary[] }>('/sesame/mailbox/messages', { q: query })).Messages,
    [clients, query],
  );

  function search(e: FormEvent) {
    e.preventDefault();
    setQuery(q.trim());
  }

  return (
    <section aria-labelledby="mailbox-h">
      <h2 id="mailbox-h">Mailbox</h2>
      <form role="search" onSubmit={search} className="inline">
        <label>
          Search subject, sender, recipients
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <button type="submit">Search</button>{' '}
        <button type="button" onClick={() => void list.reload()}>
          Refresh
        </button>
      </form>
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 ? (
        <Empty>{query ? `No message matches “${query}”.` : 'No captured messages.'}</Empty>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Subject</th>
              <th>From</th>
              <th>Recipients</th>
              <th>Accepted</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((m) => (
              <tr key={m.Id} aria-selected={open === m.Id}>
                <td>
                  <button type="button" className="link" onClick={() => setOpen(m.Id)}>
                    {m.Subject || '(no subject)'}
                  </button>
                </td>
                <td>{m.From}</td>
                <td>{m.Recipients.join(', ')}</td>
                <td>{m.AcceptedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {open ? <Message key={open} clients={clients} id={open} /> : null}
    </section>
  );
}

function Message({ clients, id }: { clients: Clients; id: string }) {
  const msg = useLoad(
    () => clients.sesameJson<Full>(`/sesame/mailbox/messages/${encodeURIComponent(id)}`),
    [clients, id],
  );
  const timeline = useLoad(
    () => clients.sesameJson<Timeline>(`/sesame/mailbox/messages/${encodeURIComponent(id)}/timeline`),
    [clients, id],
  );
  const [rawUrl, setRawUrl] = useState<string>();
  const [rawError, setRawError] = useState<string>();
  useEffect(() => () => (rawUrl ? URL.revokeObjectURL(rawUrl) : undefined), [rawUrl]);

  // The raw MIME needs a signed request, so it is fetched and offered as a download (a blob URL).
  async function loadRaw() {
    setRawError(undefined);
    try {
      const res = await clients.sesame(`/sesame/mailbox/messages/${encodeURIComponent(id)}`, {
        format: 'raw',
      });
      if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`);
      setRawUrl(URL.createObjectURL(new Blob([await res.arrayBuffer()], { type: 'message/rfc822' })));
    } catch (e) {
      setRawError(errorText(e));
    }
  }

  const m = msg.data;
  return (
    <article aria-labelledby="message-h" className="panel">
      <ErrorBox error={msg.error} />
      {m ? (
        <>
          <h3 id="message-h">{m.Subject || '(no subject)'}</h3>
          <dl>
            <dt>From</dt>
            <dd>{m.From.join(', ')}</dd>
            <dt>To</dt>
            <dd>{m.To.join(', ')}</dd>
            {m.Cc.length ? (
              <>
                <dt>Cc</dt>
                <dd>{m.Cc.join(', ')}</dd>
              </>
            ) : null}
            <dt>Date</dt>
            <dd>{m.Date}</dd>
          </dl>
          <p>
            {rawUrl ? (
              <a href={rawUrl} download={`${id}.eml`}>
                Download raw message (.eml)
              </a>
            ) : (
              <button type="button" onClick={() => void loadRaw()}>
                Get raw message
              </button>
            )}
          </p>
          <ErrorBox error={rawError} />
          <h4>Text</h4>
          {m.Text ? (
            <pre className="text" data-testid="message-text">
              {m.Text}
            </pre>
          ) : (
            <Empty>No text part.</Empty>
          )}
          <h4>HTML</h4>
          {m.Html ? (
            <iframe title="HTML part (sandboxed)" sandbox="" srcDoc={m.Html} className="html" />
          ) : (
            <Empty>No HTML part.</Empty>
          )}
          {m.Attachments.length ? (
            <>
              <h4>Attachments</h4>
              <ul>
                {m.Attachments.map((a, i) => (
                  <li key={i}>
                    {a.Filename ?? '(unnamed)'} — {a.ContentType}, {a.Size} bytes
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <details>
            <summary>Headers ({m.Headers.length})</summary>
            <table>
              <tbody>
                {m.Headers.map((h, i) => (
                  <tr key={i}>
                    <th scope="row">{h.Name}</th>
                    <td className="mono">{h.Value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : msg.loading ? (
        <p>Loading…</p>
      ) : null}
      <h4>Timeline</h4>
      <ErrorBox error={timeline.error} />
      {timeline.data ? (
        <ol data-testid="timeline">
          <li>
            {timeline.data.Accepted.Timestamp}: accepted ({timeline.data.Accepted.Operation} by{' '}
            {timeline.data.Accepted.PrincipalArn})
          </li>
          {timeline.data.Events.map((e) => (
            <li key={e.EventId}>
              {e.Timestamp}: {e.Type} {e.Recipients.join(', ')}
            </li>
          ))}
          <li>
            Status: {timeline.data.Status}, {timeline.data.Attempts} attempt(s)
          </li>
        </ol>
      ) : null}
    </article>
  );
}
