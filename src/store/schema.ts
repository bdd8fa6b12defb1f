// The database as Kysely sees it: one interface per domain, owned beside its migration.
import type { IamTables } from './schema/iam.js';
import type { SesTables } from './schema/ses.js';
import type { AuditTables } from './schema/audit.js';
import type { OutboxTables } from './schema/outbox.js';
import type { DeliveryTables } from './schema/delivery.js';
import type { PublishingTables } from './schema/publishing.js';
import type { ListTables } from './schema/lists.js';

export interface Database
  extends IamTables, SesTables, AuditTables, OutboxTables, DeliveryTables, PublishingTables {}

// A declaration of its own (interfaces merge), so that each branch adding tables adds a line.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database extends ListTables {}
