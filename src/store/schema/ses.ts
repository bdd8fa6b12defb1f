// SES state, one row set per (account, region) as on AWS. v1 and v2 read and write the same rows.
// Times are epoch ms; booleans 0/1; JSON documents text (migrations/types.ts).

export interface SesIdentityRow {
  account_id: string;
  region: string;
  identity: string; // email address or domain, as the identity name
  identity_type: string; // 'EmailAddress' | 'Domain'
  verification_status: string; // v1 words: 'Pending' | 'Success' | 'Failed' | 'TemporaryFailure' | 'NotStarted'
  verification_token: string | null; // domains only
  dkim_enabled: number;
  dkim_status: string; // v1 words, as verification_status
  dkim_tokens: string; // JSON string[]
  feedback_forwarding: number;
  bounce_topic: string | null;
  complaint_topic: string | null;
  delivery_topic: string | null;
  headers_in_bounce: number;
  headers_in_complaint: number;
  headers_in_delivery: number;
  mail_from_domain: string | null;
  mail_from_behavior: string; // 'UseDefaultValue' | 'RejectMessage'
  mail_from_status: string | null; // v1 words; null without a MAIL FROM domain
  mail_from_set_at: number | null; // when the MAIL FROM domain was set (its 72 hours run from then)
  configuration_set: string | null; // default configuration set (v2)
  tags: string; // JSON [{Key,Value}]
  created_at: number;
}

export interface SesIdentityPolicyRow {
  account_id: string;
  region: string;
  identity: string;
  policy_name: string;
  policy: string; // compact JSON text
  created_at: number;
  updated_at: number;
}

export interface SesTemplateRow {
  account_id: string;
  region: string;
  name: string;
  subject: string | null;
  text_part: string | null;
  html_part: string | null;
  tags: string; // JSON [{Key,Value}]
  created_at: number;
}

export interface SesConfigurationSetRow {
  account_id: string;
  region: string;
  name: string;
  sending_enabled: number;
  reputation_metrics_enabled: number;
  last_fresh_start: number | null;
  tracking_options: string | null; // JSON {CustomRedirectDomain, HttpsPolicy?}
  delivery_options: string | null; // JSON {TlsPolicy?, SendingPoolName?, MaxDeliverySeconds?}
  suppression_options: string | null; // JSON {SuppressedReasons, ValidationOptions?}
  vdm_options: string | null;
  archiving_options: string | null;
  tags: string;
  created_at: number;
}

export interface SesEventDestinationRow {
  account_id: string;
  region: string;
  configuration_set: string;
  name: string;
  definition: string; // JSON, v2 EventDestinationDefinition shape
  created_at: number;
}

export interface SesSuppressedDestinationRow {
  account_id: string;
  region: string;
  email_address: string; // lower-cased
  reason: string; // 'BOUNCE' | 'COMPLAINT'
  last_update_time: number;
  message_id: string | null;
  feedback_id: string | null;
}

export interface SesAccountRow {
  account_id: string;
  region: string;
  production_access: number;
  sending_enabled: number;
  max_24_hour_send: number; // double; -1 = unlimited
  max_send_rate: number; // double
  suppressed_reasons: string; // JSON ['BOUNCE','COMPLAINT']
  enforcement_status: string;
  details: string | null; // JSON of PutAccountDetails input (without ProductionAccessEnabled)
  review_status: string | null; // 'PENDING' | 'GRANTED' | 'DENIED' | 'FAILED'
  review_case_id: string | null;
  updated_at: number;
}

/** Recipients accepted per minute (migration 0008); `minute` is the epoch ms of its start. */
export interface SesSendingLedgerMinuteRow {
  account_id: string;
  region: string;
  minute: number;
  recipients: number;
}

export interface SesTables {
  ses_identities: SesIdentityRow;
  ses_identity_policies: SesIdentityPolicyRow;
  ses_templates: SesTemplateRow;
  ses_configuration_sets: SesConfigurationSetRow;
  ses_event_destinations: SesEventDestinationRow;
  ses_suppressed_destinations: SesSuppressedDestinationRow;
  ses_accounts: SesAccountRow;
  ses_sending_ledger_minutes: SesSendingLedgerMinuteRow;
}
