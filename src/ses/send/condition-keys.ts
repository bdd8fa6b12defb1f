// The one place the SES address condition keys are derived from a send (DESIGN.md rule 3, spec
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
