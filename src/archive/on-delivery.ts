// Delivery archives a message whose configuration set names an archive (ArchivingOptions), once,
// as it leaves: the bytes handed to the receiving server and the message's recipients.
import type { Store } from '../store/database.js';
import type { OutboxRow } from '../store/schema/outbox.js';
import type { ConfigurationSet } from '../ses/state/configuration-sets.js';
import { archiveIdOf, archiveMessage } from './store.js';

export async function archiveIfConfigured(
  store: Store,
  row: OutboxRow,
  cs: ConfigurationSet | undefined,
  subject: string | undefined,
  raw: Buffer,
  now: Date,
): Promise<void> {
  if (!row.configuration_set) return;
  const archiveId = cs?.archivingOptions?.ArchiveArn
    ? archiveIdOf(cs.archivingOptions.ArchiveArn)
    : undefined;
  if (!archiveId) return;
  await archiveMessage(store, {
    archiveId,
    messageId: row.message_id,
    accountId: row.account_id,
    region: row.region,
    configurationSet: row.configuration_set,
    ...(row.from_address ? { from: row.from_address } : {}),
    recipients: JSON.parse(row.recipients) as string[],
    ...(subject !== undefined ? { subject } : {}),
    raw,
    archivedAt: now,
  });
}
