// The lint rules over a validated policy: what IAM accepts but its author probably did not mean.
// Each finding carries a path inside its statement; lint.ts turns paths into line/column.

import { actionScope, canonicalSesAction, matchSesActions, type ActionScope } from './lint-actions.js';
import { SES_ACTIONS, SES_RESOURCE_TYPES } from './lint-facts-ses.js';
import type { PathSegment } from './lint-locate.js';
import { lintConditions } from './lint-rules-conditions.js';
import { closestName } from './lint-suggest.js';
import { hasWildcard } from './glob.js';
import type { Policy, PolicyType, Statement } from './types.js';

export interface RuleFinding {
  code: string;
  severity: 'warning' | 'suggestion';
  message: string;
  /** 0-based statement index; undefined for document-level findings. */
  statement?: number;
  /** Path inside the statement (or the document when `statement` is undefined). */
  path?: PathSegment[];
}

type Emit = (f: Omit<RuleFinding, 'statement'>) => void;

const q = (s: string): string => JSON.stringify(s);
const SEND_ACTIONS = new Set([
  'SendEmail',
  'SendRawEmail',
  'SendTemplatedEmail',
  'SendBulkTemplatedEmail',
  'SendBulkEmail',
]);

export function runLintRules(policy: Policy, type: PolicyType): RuleFinding[] {
  const out: RuleFinding[] = [];
  const seen = new Map<string, number>();
  let sendResourcesHint = false; // once per policy: the same hint on every statement is noise
  for (const s of policy.statements) {
    const emit: Emit = (f) => out.push({ ...f, statement: s.index });
    const scope = s.action ? actionScope(s.action) : undefined;
    lintActions(s, emit);
    lintBreadth(s, type, emit);
    lintResources(s, type, scope, emit);
    sendResourcesHint ||= lintSendResources(s, type, scope, emit);
    if (type === 'resource' || type === 'trust') lintPrincipal(s, type, emit);
    lintConditions(s, type, scope, emit);
    const key = statementKey(s);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, s.index);
    else
      emit({
        code: 'duplicate-statement',
        severity: 'warning',
        path: [],
        message: `This statement repeats statement ${first} (only the Sid differs, if at all). Remove one of them.`,
      });
  }
  if (policy.version !== '2012-10-17') {
    const usesVariables = policy.statements.some(
      (s) =>
        [...(s.resource ?? []), ...(s.notResource ?? [])].some((r) => r.includes('${')) ||
        s.conditions.some((c) => c.values.some((v) => v.includes('${'))),
    );
    if (usesVariables)
      out.push({
        code: 'variables-without-version',
        severity: 'warning',
        path: policy.version === undefined ? [] : ['Version'],
        message:
          'Policy variables such as ${aws:username} are replaced only under "Version": "2012-10-17"; here they are compared as literal text. Add "Version": "2012-10-17".',
      });
  }
  return out;
}

/** Everything that decides what a statement does, without its Sid and position. */
function statementKey(s: Statement): string {
  const { sid: _sid, index: _index, range: _range, ...rest } = s;
  return JSON.stringify(rest);
}

function lintActions(s: Statement, emit: Emit): void {
  for (const [list, key] of [
    [s.action, 'Action'],
    [s.notAction, 'NotAction'],
  ] as const) {
    (list ?? []).forEach((action, i) => {
      const colon = action.indexOf(':');
      if (colon < 0) return;
      const vendor = action.slice(0, colon).toLowerCase();
      const name = action.slice(colon + 1);
      const effectText =
        key === 'NotAction'
          ? 'so excluding it changes nothing'
          : `so this statement ${s.effect === 'Allow' ? 'allows' : 'denies'} nothing through it`;
      if (vendor === 'sesv2' || vendor === 'email') {
        const known = canonicalSesAction(name);
        emit({
          code: 'unknown-service-prefix',
          severity: 'warning',
          path: [key, i],
          message: `There is no ${vendor}: prefix in IAM: SES API v1 and v2 actions both use ses:, ${effectText}. Write ${q(`ses:${known ?? name}`)}.`,
        });
        return;
      }
      if (vendor !== 'ses') return;
      if (matchSesActions(name).length > 0) return;
      const near = hasWildcard(name) ? undefined : closestName(name, SES_ACTIONS);
      emit({
        code: 'unknown-action',
        severity: 'warning',
        path: [key, i],
        message: hasWildcard(name)
          ? `${q(action)} matches no SES action, ${effectText}.`
          : `${q(action)} is not an SES action${near ? ` (did you mean ${q(`ses:${near}`)}?)` : ''}: IAM accepts the name, but no request is ever authorized as it, ${effectText}.`,
      });
    });
  }
}

function isEverything(a: string): boolean {
  const l = a.toLowerCase();
  return l === '*' || l === '*:*' || l === 'ses:*';
}

function lintBreadth(s: Statement, type: PolicyType, emit: Emit): void {
  if (s.effect !== 'Allow') return;
  if (s.notAction)
    emit({
      code: 'allow-with-not-action',
      severity: 'warning',
      path: ['NotAction'],
      message:
        'Allow with NotAction allows every action of every AWS service except those listed (iam:* included), not just the other SES actions. List the allowed actions under Action instead.',
    });
  if (s.notResource)
    emit({
      code: 'allow-with-not-resource',
      severity: 'warning',
      path: ['NotResource'],
      message:
        'Allow with NotResource allows the actions on every resource except those listed, including resources created later. List the allowed resources under Resource instead.',
    });
  if (type !== 'identity' && type !== 'session') return;
  const all = s.action?.find(isEverything);
  if (all && s.resource?.includes('*') && s.conditions.length === 0)
    emit({
      code: 'full-access',
      severity: 'warning',
      path: ['Action'],
      message:
        all.toLowerCase() === 'ses:*'
          ? '"ses:*" on "*" without a condition allows every SES action on every identity, including changing sending authorization policies (ses:PutIdentityPolicy) and account settings. Name the actions you need, or add a condition.'
          : `${q(all)} on "*" without a condition allows every action of every AWS service (administrator access). Name the actions you need.`,
    });
}

/** docs/spec/ses.md §1.9: a send is also authorized against its configuration set and template. */
function lintSendResources(
  s: Statement,
  type: PolicyType,
  scope: ActionScope | undefined,
  emit: Emit,
): boolean {
  if (type !== 'identity' || s.effect !== 'Allow' || !scope || !s.resource?.length) return false;
  if (!s.resource.every((r) => /^arn:[^:]*:ses:[^:]*:[^:]*:identity\//i.test(r))) return false;
  if (![...scope.ses].some((a) => SEND_ACTIONS.has(a))) return false;
  emit({
    code: 'send-resources-identity-only',
    severity: 'suggestion',
    path: ['Resource'],
    message:
      "SES authorizes a send against every resource it uses: the identity, and also the configuration set (named in the request or the identity's default) and the template of templated sends. With only identity ARNs here, such sends are denied; add their ARNs (e.g. arn:aws:ses:REGION:ACCOUNT:configuration-set/NAME) if you use them.",
  });
  return true;
}

function lintResources(s: Statement, type: PolicyType, scope: ActionScope | undefined, emit: Emit): void {
  for (const [list, key] of [
    [s.resource, 'Resource'],
    [s.notResource, 'NotResource'],
  ] as const) {
    (list ?? []).forEach((r, i) => {
      const path = [key, i];
      if (!r.startsWith('arn:')) return;
      const f = r.split(':');
      const service = (f[2] ?? '').toLowerCase();
      const resource = f.slice(5).join(':');
      if (service === 'sesv2' || service === 'email') {
        emit({
          code: 'malformed-ses-arn',
          severity: 'warning',
          path,
          message: `SES resource ARNs use the service "ses", not ${q(service)}: ${q(r)} matches no SES resource. Write ${q(['arn', f[1], 'ses', ...f.slice(3)].join(':'))}.`,
        });
        return;
      }
      if (service !== 'ses') {
        if (scope?.onlySes && !hasWildcard(service) && key === 'Resource')
          emit({
            code: 'resource-service-mismatch',
            severity: 'warning',
            path,
            message: `SES actions act on SES resources (arn:aws:ses:...), never on ${q(r)}: this entry matches nothing for them.`,
          });
        return;
      }
      const problem = sesArnProblem(f);
      if (problem)
        emit({
          code: 'malformed-ses-arn',
          severity: 'warning',
          path,
          message: `${q(r)} ${problem} The form is arn:aws:ses:REGION:ACCOUNT:identity/NAME (example.com or user@example.com); use * for any region or account.`,
        });
      else if (type === 'resource' && !resource.startsWith('identity/'))
        emit({
          code: 'resource-policy-resource',
          severity: 'warning',
          path,
          message: `A sending authorization policy is attached to one identity, and its Resource must be that identity's ARN (arn:aws:ses:REGION:ACCOUNT:identity/NAME), not ${q(r)}.`,
        });
    });
  }
}

/** What is wrong with an `arn:...:ses:...` resource, as the rest of a sentence; undefined if fine. */
function sesArnProblem(f: string[]): string | undefined {
  const [, , , region = '', account = '', ...rest] = f;
  if (f.length < 6) return 'has too few parts, so it matches no SES resource.';
  if (region === '') return 'has no region: SES resources are regional, so it matches none.';
  if (account === '') return 'has no account ID, so it matches no SES resource.';
  const resource = rest.join(':');
  const slash = resource.indexOf('/');
  const kind = slash < 0 ? resource : resource.slice(0, slash);
  if (!/^(\d{12}|aws)$/.test(account) && !hasWildcard(account))
    return `has ${q(account)} where the 12-digit account ID belongs, so it matches no SES resource.`;
  if (hasWildcard(kind)) return undefined;
  if (!SES_RESOURCE_TYPES.includes(kind)) {
    const near = closestName(kind, SES_RESOURCE_TYPES);
    return `names no SES resource type (${q(kind)}${near ? `; did you mean ${q(near)}?` : ''}), so it matches nothing.`;
  }
  if (slash < 0 || slash === resource.length - 1)
    return `has no name after "${kind}/", so it matches nothing.`;
  return undefined;
}

function lintPrincipal(s: Statement, type: PolicyType, emit: Emit): void {
  if (s.effect !== 'Allow') return;
  const what = type === 'trust' ? 'assume this role' : 'use this identity (send as you)';
  if (s.notPrincipal) {
    emit({
      code: 'allow-with-not-principal',
      severity: 'warning',
      path: ['NotPrincipal'],
      message: `Allow with NotPrincipal lets everyone except the listed principals ${what}, anonymous callers included. Name the allowed principals under Principal instead.`,
    });
    return;
  }
  if (!s.principal?.wildcard || s.conditions.length > 0) return;
  emit({
    code: type === 'trust' ? 'public-role-trust' : 'public-sending-authorization',
    severity: 'warning',
    path: ['Principal'],
    message: `Principal "*" without a condition lets anyone with an AWS account ${what}. Name the accounts or roles, or add a condition such as "StringEquals": {"aws:PrincipalOrgID": "o-..."}.`,
  });
}
