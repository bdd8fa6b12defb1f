// SES accepts a templated message before rendering it; when the template then cannot be rendered
// (an attribute missing from the data, an error in the template, a render over its budget) the
// message is not sent and a Rendering Failure event tells the sender. Here that happens within
// the send's own transaction: the outbox row is written already settled as failed, and the event
// is recorded and queued for the configuration set's destinations like any delivery event.
import type { Config } from '../../config/config.js';
import { buildMailObject } from '../../delivery/mail-object.js';
import { recordEvents, renderingFailureEvent, type EventScope } from '../../delivery/events.js';
import { enqueuePublications, publishTargets } from '../../delivery/publishing/fanout.js';
import type { Store } from '../../store/database.js';
import { outboxRow, type OutboxMessage } from './outbox.js';

export async function recordRenderingFailures(
  tx: Store,
  config: Config,
  messages: readonly OutboxMessage[],
  templateName: string | undefined,
  now: Date,
): Promise<void> {
  const targets = publishTargets(config);
  for (const m of messages) {
    if (!m.failed) continue;
    const scope: EventScope = {
      accountId: m.accountId,
      region: m.region,
      configurationSet: m.configurationSet ?? null,
      sourceArn: m.sourceArn ?? null,
    };
    // SES's event carries no headers: nothing was rendered.
    const { headers: _headers, commonHeaders: _common, ...mail } = buildMailObject(outboxRow(m));
    const event = renderingFailureEvent(mail, now, m.failed.error, templateName);
    const fresh = await recordEvents(tx, scope, [event]);
    if (fresh.size > 0) await enqueuePublications(tx, scope, [event], targets, now, m.fromAddress);
  }
}
