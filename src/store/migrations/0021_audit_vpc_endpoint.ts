import type { SchemaMigration } from './types.js';

// CloudTrail names the VPC endpoint a call came through (`vpcEndpointId`); the audit record does
// too. Null for calls on the public listeners and for every record written before.
export const auditVpcEndpointMigration: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('audit_events').addColumn('vpc_endpoint_id', 'text').execute();
  },
};
