// The timeline tab of a received message (mailbox kind `inbound`).
import type { InboundTimeline } from './mailbox-types.js';
import { ErrorBox } from './ui.js';

/** A received message: how it arrived, its verdicts, then every receipt action in order. */
export function InboundTimelineView({ t }: { t: InboundTimeline }) {
  const r = t.Received;
  return (
    <>
      <ol data-testid="timeline" className="mailbox-timeline">
        <li>
          <time dateTime={r.Timestamp}>{r.Timestamp}</time>: received from {r.Helo} [{r.RemoteIp}]
          {r.Tls ? ' over TLS' : ''}, MAIL FROM &lt;{r.MailFrom}&gt; for {r.Recipients.join(', ')} (rule set{' '}
          <span className="mono">{r.RuleSet}</span>)
        </li>
        <li data-testid="verdicts">
          Verdicts:{' '}
          {Object.entries(t.Verdicts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}
        </li>
        {t.Trace.filter((e) => e.Event !== 'Received').map((e, n) => (
          <li key={n}>
            <time dateTime={e.Timestamp}>{e.Timestamp}</time>:{' '}
            {e.Event === 'Action' || e.Event === 'Retry'
              ? `${e.Rule} #${e.Position} ${e.Action}: ${e.Event === 'Retry' ? `retry ${e.Attempt}` : e.Outcome}${
                  e.Stop ? ` (stops the ${e.Stop === 'Rule' ? 'rule' : 'rule set'})` : ''
                }${e.Detail ? ` — ${e.Detail}` : ''}`
              : e.Event === 'Completed'
                ? 'all receipt actions done'
                : `${e.Event}${e.Detail ? `: ${e.Detail}` : ''}`}
          </li>
        ))}
        <li>
          Status: {t.Status}
          {t.NextAttemptAt ? `, next attempt ${t.NextAttemptAt}` : ''}
        </li>
      </ol>
      {t.LastError ? <ErrorBox error={`Last error: ${t.LastError}`} /> : null}
    </>
  );
}
