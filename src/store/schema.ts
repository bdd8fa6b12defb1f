// The database as Kysely sees it: one interface per domain, owned beside its migration.
import type { IamTables } from './schema/iam.js';
import type { SesTables } from './schema/ses.js';
import type { AuditTables } from './schema/audit.js';
import type { OutboxTables } from './schema/outbox.js';
import type { DeliveryTables } from './schema/delivery.js';
import type { PublishingTables } from './schema/publishing.js';
import type { ClusterTables } from './schema/cluster.js';
import type { SesV2ExtraTables } from './schema/ses-v2-extras.js';
import type { ListTables } from './schema/lists.js';
import type { ReceivingTables } from './schema/receiving.js';
import type { JobTables } from './schema/jobs.js';

export interface Database
  extends
    IamTables,
    SesTables,
    AuditTables,
    OutboxTables,
    DeliveryTables,
    PublishingTables,
    ClusterTables,
    SesV2ExtraTables,
    ListTables,
    ReceivingTables,
    JobTables {}
