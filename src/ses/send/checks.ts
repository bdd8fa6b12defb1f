// The authorization checks of one send (docs/spec/ses.md §1.9): every IAM action of the request (§1.6) against
// every resource involved — the sender identities, the configuration set (named, or the sending
// identity's default), the template, and in the sandbox each recipient identity — each with the
// request's condition keys and the identity's sending-authorization policies.
import type { AuthorizationCheck } from '../../api/operation.js';
import type { NamedPolicy } from '../../policy/request.js';
import type { Tag } from '../state/json.js';
import { resourceTagContext } from '../../authz/tag-context.js';
import { configurationSetArn, templateArn } from '../state/index.js';
import { sendConditionKeySets } from './condition-keys.js';
import type { ResolvedIdentity, SendIdentities } from './identities.js';
import type { SendRequest } from './send-request.js';

export interface SendResource {
  arn: string;
  ownerAccountId: string;
  policies?: NamedPolicy[];
  /** The resource's tags, as `aws:ResourceTag/<key>` context keys of the checks on it. */
  tags?: readonly Tag[];
}

/** `arn:aws:ses:REGION:ACCOUNT:template/NAME`, or undefined. */
export function parseTemplateArn(
  arn: string,
): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:ses:([a-z0-9-]+):(\d{12}):template\/(.+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}

/** The identity whose default configuration set applies: the From identity, else the Source's. */
export function sendingIdentity(ids: SendIdentities): ResolvedIdentity | undefined {
  return ids.senders.find((s) => s.role === 'from') ?? ids.senders.find((s) => s.role === 'source');
}

/** The configuration set the message uses: named in the request, else the identity's default. */
export function effectiveConfigurationSet(
  req: SendRequest,
  ids: SendIdentities,
  callerAccountId: string,
): { name: string; ownerAccountId: string } | undefined {
  if (req.configurationSetName !== undefined)
    return { name: req.configurationSetName, ownerAccountId: callerAccountId };
  const id = sendingIdentity(ids);
  return id?.defaultConfigurationSet !== undefined
    ? { name: id.defaultConfigurationSet, ownerAccountId: id.ownerAccountId }
    : undefined;
}

/** The template resource: by ARN (its owner may differ) or by name in the caller's account. */
export function templateResource(
  req: SendRequest,
  region: string,
  callerAccountId: string,
): SendResource | undefined {
  const t = req.template;
  if (!t) return undefined;
  if (t.arn !== undefined) {
    const parsed = parseTemplateArn(t.arn);
    return { arn: t.arn, ownerAccountId: parsed?.accountId ?? callerAccountId };
  }
  if (t.name !== undefined)
    return { arn: templateArn(region, callerAccountId, t.name), ownerAccountId: callerAccountId };
  return undefined; // inline content: nothing stored, nothing to authorize
}

/** Tags of the configuration set and template the send uses (read before authorization). */
export interface SendResourceTags {
  configurationSet?: readonly Tag[];
  template?: readonly Tag[];
}

export function sendResources(
  req: SendRequest,
  ids: SendIdentities,
  region: string,
  callerAccountId: string,
  tags: SendResourceTags = {},
): SendResource[] {
  const out: SendResource[] = [];
  const seen = new Set<string>();
  const add = (r: SendResource) => {
    if (seen.has(r.arn)) return;
    seen.add(r.arn);
    out.push(r);
  };
  for (const s of ids.senders)
    add({ arn: s.identityArn, ownerAccountId: s.ownerAccountId, policies: s.policies, tags: s.tags });
  const cs = effectiveConfigurationSet(req, ids, callerAccountId);
  if (cs)
    add({
      arn: configurationSetArn(region, cs.ownerAccountId, cs.name),
      ownerAccountId: cs.ownerAccountId,
      ...(tags.configurationSet ? { tags: tags.configurationSet } : {}),
    });
  const tpl = templateResource(req, region, callerAccountId);
  if (tpl) add(tags.template ? { ...tpl, tags: tags.template } : tpl);
  for (const r of ids.recipients)
    add({ arn: r.identityArn, ownerAccountId: r.ownerAccountId, policies: r.policies, tags: r.tags });
  return out;
}

/** Actions outermost: the first denial names the first action, as SES reports (§1.6 tip). */
export function buildSendChecks(req: SendRequest, resources: readonly SendResource[]): AuthorizationCheck[] {
  const checks: AuthorizationCheck[] = [];
  for (const action of req.actions) {
    for (const context of sendConditionKeySets(req, action)) {
      for (const r of resources) {
        const check: AuthorizationCheck = {
          action,
          resource: r.arn,
          resourceAccount: r.ownerAccountId,
          context: r.tags && r.tags.length > 0 ? { ...context, ...resourceTagContext(r.tags) } : context,
        };
        if (r.policies && r.policies.length > 0) check.resourcePolicies = r.policies;
        checks.push(check);
      }
    }
  }
  return checks;
}
