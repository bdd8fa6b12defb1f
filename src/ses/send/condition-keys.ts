// The one place the SES address condition keys are derived from a send (docs/architecture.md rule 3, spec
// §1.2/§1.3). ses:ApiVersion and the aws:* keys are added by authz/, not here.
import { allRecipients, type SendRequest } from './send-request.js';

export type SendConditionKeys = Record<string, string | string[]>;

/**
 * `ses:Recipients` (multivalued), `ses:FromAddress`, `ses:FromDisplayName` (absent without a display
 * name), `ses:FeedbackAddress`. SendBounce supplies only ses:FromAddress (the BounceSender); the v2
 * `ses:SendBulkEmail` action carries no address keys (the SAR lists none; the paired
 * ses:SendBulkTemplatedEmail check carries them), so pass `action` to get that action's keys.
 */
export function sendConditionKeys(req: SendRequest, action?: string): SendConditionKeys {
  const keys: SendConditionKeys = {};
  if (req.operation === 'SendBounce') {
    if (req.from) keys['ses:FromAddress'] = req.from.address;
    return keys;
  }
  // SAR: the v2 sends' tenant and global-endpoint keys, present only when the request names them.
  if (req.tenantName !== undefined) keys['ses:TenantName'] = req.tenantName;
  if (req.endpointId !== undefined) keys['ses:MultiRegionEndpointId'] = req.endpointId;
  if (action !== undefined && action.toLowerCase() === 'ses:sendbulkemail') return keys;
  keys['ses:Recipients'] = allRecipients(req);
  if (req.from) keys['ses:FromAddress'] = req.from.address;
  if (req.from?.name !== undefined && req.from.name !== '') keys['ses:FromDisplayName'] = req.from.name;
  if (req.feedbackAddress !== undefined) keys['ses:FeedbackAddress'] = req.feedbackAddress;
  return keys;
}

/**
 * The key sets a send must be allowed under: the first From mailbox's, then one per further From
 * mailbox and per further feedback address of a raw message (`From: a@x, b@x`). Every set must be
 * allowed, so no mailbox rides on another's permission.
 */
export function sendConditionKeySets(req: SendRequest, action?: string): SendConditionKeys[] {
  const base = sendConditionKeys(req, action);
  const sets = [base];
  const extra = req.extra;
  if (!extra || base['ses:FromAddress'] === undefined) return sets;
  for (const m of extra.from) {
    const keys: SendConditionKeys = { ...base, 'ses:FromAddress': m.address };
    delete keys['ses:FromDisplayName'];
    if (m.name !== undefined && m.name !== '') keys['ses:FromDisplayName'] = m.name;
    sets.push(keys);
  }
  for (const a of extra.feedbackAddresses) sets.push({ ...base, 'ses:FeedbackAddress': a });
  return sets;
}
