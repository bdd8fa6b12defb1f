// The database as Kysely sees it: one interface per domain, owned beside its migration.
import type { IamTables } from './schema/iam.js';
import type { SesTables } from './schema/ses.js';
import type { AuditTables } from './schema/audit.js';
import type { OutboxTables } from './schema/outbox.js';
import type { DeliveryTables } from './schema/delivery.js';
import type { PublishingTables } from './schema/publishing.js';
import type { ReceivingTables } from './schema/receiving.js';

export interface Database
  extends
    IamTables,
    SesTables,
    AuditTables,
    OutboxTables,
    DeliveryTables,
    PublishingTables,
    ReceivingTables {}
