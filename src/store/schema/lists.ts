// List management, custom verification emails, bring-your-own DKIM and recommendations
// (migrations 0050-0053). Times are epoch ms; booleans 0/1; JSON documents text.

/** The contact list of an account in a region: SES allows one, so (account, region) is the key. */
export interface SesContactListRow {
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  topics: string; // JSON [{TopicName, DisplayName, Description?, DefaultSubscriptionStatus}]
  tags: string; // JSON [{Key,Value}]
  created_at: number;
  updated_at: number;
}

export interface SesContactRow {
  account_id: string;
  region: string;
  list_name: string;
  email_key: string; // the address lower-cased: one contact per mailbox
  email_address: string; // as first given
  topic_preferences: string; // JSON [{TopicName, SubscriptionStatus}]
  unsubscribe_all: number;
  attributes_data: string | null;
  created_at: number;
  updated_at: number;
}

export interface SesCustomVerificationTemplateRow {
  account_id: string;
  region: string;
  name: string;
  from_email_address: string;
  subject: string;
  content: string;
  success_url: string;
  failure_url: string;
  tags: string; // JSON [{Key,Value}] (v2 only takes tags)
  created_at: number;
}

/** One custom verification message's link: where it redirects (the token is the identity's). */
export interface SesCustomVerificationLinkRow {
  link_id: string;
  account_id: string;
  region: string;
  identity: string;
  success_url: string;
  failure_url: string;
  expires_at: number;
  created_at: number;
}

/** How a domain identity signs: Easy DKIM (AWS_SES) with a key length, or its own key (EXTERNAL). */
export interface SesDkimSigningRow {
  account_id: string;
  region: string;
  identity: string;
  origin: string; // 'AWS_SES' | 'EXTERNAL'
  selector: string | null; // EXTERNAL
  private_key: string | null; // EXTERNAL: PKCS#8 PEM, sealed under the master key
  public_key: string | null; // EXTERNAL: base64 SPKI DER, the `p=` its selector's TXT record must hold
  next_key_length: string; // 'RSA_1024_BIT' | 'RSA_2048_BIT' (Easy DKIM)
  updated_at: number;
}

/** A recommendation as first found and last seen (ListRecommendations keeps FIXED ones 30 days). */
export interface SesRecommendationRow {
  account_id: string;
  region: string;
  resource_arn: string;
  type: string; // DKIM | DMARC | SPF | BIMI | COMPLAINT | BOUNCE | FEEDBACK_3P | IP_LISTING
  code: string; // which finding of that type (the description's disambiguator)
  description: string;
  impact: string; // HIGH | LOW
  status: string; // OPEN | FIXED
  created_at: number;
  updated_at: number;
}

export interface ListTables {
  ses_contact_lists: SesContactListRow;
  ses_contacts: SesContactRow;
  ses_custom_verification_templates: SesCustomVerificationTemplateRow;
  ses_custom_verification_links: SesCustomVerificationLinkRow;
  ses_dkim_signing: SesDkimSigningRow;
  ses_recommendations: SesRecommendationRow;
}
