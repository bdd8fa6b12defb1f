// The ResourceArn of TagResource, UntagResource and ListTagsForResource: which SES resource of the
// caller's account it names, or AWS's reason for refusing it. Texts and their precedence as
// third-party probes of AWS reported them; where none did, marked [INF].
import { normalizeIdentity } from '../state/identity-names.js';
import type { TaggableKind } from '../state/tags.js';
import { CONFIGURATION_SET_NAME } from '../v1/configuration-sets.js';

export const arnTexts = {
  format: 'ResourceArn is not the expected format',
  notSes: 'Provided resource identifier is not an SES resource',
  otherAccount: 'Operations on a resource created in a different account is not allowed',
  templateName:
    'Template name can contain alphanumeric characters, underscores(_) and hyphens(-). It can contain up to 128 characters and it should start with an alphanumeric character.',
  configurationSetName: (n: string) =>
    `Invalid configuration set name <${n}>: only alphanumeric ASCII characters, '_', and '-' are allowed.`,
  notFound: (label: string, name: string) => `No ${label} present with name: ${name}`,
};

/** Label of each taggable type in AWS's "No X present with name" message. */
export const RESOURCE_LABELS: Record<string, string> = {
  identity: 'EmailIdentity',
  'configuration-set': 'ConfigurationSet',
  template: 'Template',
  'contact-list': 'ContactList',
  'custom-verification-email-template': 'CustomVerificationEmailTemplate',
  'dedicated-ip-pool': 'DedicatedIpPool',
  'deliverability-test-report': 'DeliverabilityTestReport',
  tenant: 'Tenant',
  'multi-region-endpoint': 'MultiRegionEndpoint', // [INF]
};

/** Types kept in Sesame whose name is taken as it is (after the account check). */
const STORED_AS_NAMED = new Set<TaggableKind>([
  'dedicated-ip-pool',
  'deliverability-test-report',
  'multi-region-endpoint',
]);

export type TagArn =
  | { ok: true; kind: TaggableKind; name: string; region: string }
  /** An SES type Sesame does not store: NotFoundException. */
  | { ok: false; status: 404; message: string }
  | { ok: false; status: 400; message: string };

const bad = (message: string): TagArn => ({ ok: false, status: 400, message });
const TEMPLATE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads `arn:PARTITION:SERVICE:REGION:ACCOUNT:TYPE/NAME`. The partition and service fields must be
 * present but are not compared (AWS was reported to ignore them); the region is returned for the
 * caller to compare. Identity names are checked before the account match, other names after it.
 */
export function parseTagArn(arn: string, callerAccount: string): TagArn {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts.slice(1, 4).some((p) => p === ''))
    return bad(arnTexts.format);
  const [, , , region, account] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  const slash = resource.indexOf('/');
  const type = slash < 0 ? resource : resource.slice(0, slash);
  const name = slash < 0 ? '' : resource.slice(slash + 1);
  // A colon belongs to the ARN's fields, except in identity names (`"a:b"@example.com`).
  if (type === '' || name.trim() === '' || (type !== 'identity' && resource.includes(':')))
    return bad(arnTexts.format);
  if (!/^\d{12}$/.test(account)) return bad(arnTexts.notSes);
  if (type === 'identity') {
    if (!isIdentityName(name)) return bad(arnTexts.notSes);
    if (account !== callerAccount) return bad(arnTexts.otherAccount);
    return { ok: true, kind: 'identity', name: normalizeIdentity(name), region };
  }
  const label = RESOURCE_LABELS[type];
  if (label === undefined) return bad(arnTexts.notSes); // [INF] a type SES does not tag
  if (account !== callerAccount) return bad(arnTexts.otherAccount);
  if (type === 'template') {
    if (!TEMPLATE_NAME.test(name)) return bad(arnTexts.templateName);
    return { ok: true, kind: 'template', name, region };
  }
  // A name no Create* would take is simply not found.
  if (type === 'contact-list' || type === 'custom-verification-email-template')
    return { ok: true, kind: type, name, region };
  if (type === 'configuration-set') {
    if (!CONFIGURATION_SET_NAME.test(name)) return bad(arnTexts.configurationSetName(name)); // [INF]
    return { ok: true, kind: 'configuration-set', name, region };
  }
  if (STORED_AS_NAMED.has(type as TaggableKind))
    return { ok: true, kind: type as TaggableKind, name, region };
  // `tenant/NAME/ID`: both parts must match the stored tenant.
  if (type === 'tenant' && /^[^/]+\/[^/]+$/.test(name)) return { ok: true, kind: 'tenant', name, region };
  return { ok: false, status: 404, message: arnTexts.notFound(label, name) };
}

// Reported as refused: a second `/`, whitespace, malformed domains. An address's local part is
// not checked further (AWS accepted quoted and `+`/`/` local parts as names that merely do not exist).
function isIdentityName(name: string): boolean {
  const at = name.lastIndexOf('@');
  if (at < 0) return isDomainName(name);
  const domain = name.slice(at + 1);
  return at > 0 && domain !== '' && !/[\s/:]/.test(domain);
}

// Domains as reported accepted (`a_b.example.com`) and refused (`_name`, `name-`, `foo.123`, `a..b`,
// a single 64-character label): two or more labels of letters, digits, `_` and inner `-`, and a
// top-level label that is not all digits.
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;
function isDomainName(name: string): boolean {
  const labels = name.split('.');
  return (
    name.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l) => DOMAIN_LABEL.test(l)) &&
    !/^\d+$/.test(labels[labels.length - 1]!)
  );
}
