// State that lets several nodes on one PostgreSQL agree (migrations 0010, 0011): a check value of
// the master key every node must hold, and the send-rate buckets shared by all nodes.

export interface StoreMetaRow {
  name: string; // 'master_key_check'
  value: string;
}

/** One token bucket per (account, region): MaxSendRate enforced across nodes (PostgreSQL). */
export interface SendRateBucketRow {
  account_id: string;
  region: string;
  tokens: number; // may go below 0: SES admits a multi-recipient send while any budget remains
  updated_at: number; // epoch ms of the database clock at the last take
  granted: number; // 1 when the last take was granted, else 0
}

export interface ClusterTables {
  store_meta: StoreMetaRow;
  ses_send_rate_buckets: SendRateBucketRow;
}
