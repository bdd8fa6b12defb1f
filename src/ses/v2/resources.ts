// Authorization of the v2 operations on an SES resource, declared per operation in one line (spec
// §1.8): `ses:<Operation>` on the resource's ARN. An existing resource brings its tags as
// aws:ResourceTag/* (SAR: every v2 action on these types takes the key) and an identity its own
// policies (docs/spec/ses.md §4.1: a Deny there blocks same-account calls); a Create* brings its Tags as
// aws:RequestTag/* and aws:TagKeys. The row authorize reads for the tags is the row the handler
// gets, and the identity policies it reads beside it are the ones the handler answers with: one
// read of each per call.
import type { AuthorizationCheck, CallContext, Operation } from '../../api/operation.js';
import type { AwsError } from '../../errors/aws-error.js';
import type { NamedPolicy } from '../../policy/request.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';
import { notFound, texts } from '../errors.js';
import {
  configurationSetArn,
  contactListArn,
  customVerificationTemplateArn,
  identityArn,
  sesArn,
  templateArn,
} from '../state/arn.js';
import { getPool, type DedicatedIpPool } from '../state/dedicated-ips.js';
import { getEndpoint, type MultiRegionEndpoint } from '../state/multi-region-endpoints.js';
import { getTenantByResourceName, type Tenant } from '../state/tenants.js';
import { getTestReport, type TestReport } from '../state/test-reports.js';
import { getConfigurationSet, type ConfigurationSet } from '../state/configuration-sets.js';
import { getIdentity, tagsOf } from '../state/identities.js';
import { normalizeIdentity } from '../state/identity-names.js';
import { listPolicies, namedPolicies, type StoredPolicy } from '../state/identity-policies.js';
import type { Tag } from '../state/json.js';
import type { TaggableKind } from '../state/tags.js';
import { getTemplate, type EmailTemplate } from '../state/templates.js';
import { getContactList, type ContactList } from '../lists/contact-lists.js';
import { listNotFound } from '../lists/validate.js';
import {
  getCustomVerificationTemplate,
  type CustomVerificationTemplate,
} from '../verification/custom-templates.js';
import { customTemplateTexts } from '../verification/custom-template-rules.js';
import { withContext } from './common.js';
import { requestTagContext, resourceTagContext } from './tag-rules.js';

interface Rows {
  identity: SesIdentityRow;
  'configuration-set': ConfigurationSet;
  template: EmailTemplate;
  'dedicated-ip-pool': DedicatedIpPool;
  tenant: Tenant;
  'multi-region-endpoint': MultiRegionEndpoint;
  'deliverability-test-report': TestReport;
  'contact-list': ContactList;
  'custom-verification-email-template': CustomVerificationTemplate;
}
/** The input member that names the resource. */
interface Members {
  identity: 'EmailIdentity';
  'configuration-set': 'ConfigurationSetName';
  template: 'TemplateName';
  'dedicated-ip-pool': 'PoolName';
  tenant: 'TenantName';
  'multi-region-endpoint': 'EndpointName';
  'deliverability-test-report': 'ReportId';
  'contact-list': 'ContactListName';
  'custom-verification-email-template': 'TemplateName';
}

interface Kind<K extends TaggableKind> {
  member: Members[K];
  /** The name as stored (identities normalized). */
  stored: (raw: string | undefined) => string;
  arn: (ctx: CallContext, raw: string | undefined) => string;
  read: (ctx: CallContext, stored: string) => Promise<Rows[K] | undefined>;
  tags: (row: Rows[K]) => Tag[];
  /** The NotFoundException, naming the resource as the request did. */
  missing: (raw: string) => AwsError;
  /** Identity policies are the identity's resource policies. */
  policies: boolean;
}

const KINDS: { [K in TaggableKind]: Kind<K> } = {
  identity: {
    member: 'EmailIdentity',
    stored: (raw) => normalizeIdentity(raw ?? ''),
    arn: (ctx, raw) => identityArn(ctx.region, ctx.caller.accountId, normalizeIdentity(raw ?? '')),
    read: (ctx, name) => getIdentity(ctx.store, ctx.caller.accountId, ctx.region, name),
    tags: tagsOf,
    missing: (raw) => notFound(texts.identityNotFound(raw)),
    policies: true,
  },
  'configuration-set': {
    member: 'ConfigurationSetName',
    stored: (raw) => raw ?? '',
    arn: (ctx, raw) => configurationSetArn(ctx.region, ctx.caller.accountId, raw as string),
    read: (ctx, name) => getConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, name),
    tags: (cs) => cs.tags,
    missing: (raw) => notFound(texts.configSetNotFound(raw)),
    policies: false,
  },
  template: {
    member: 'TemplateName',
    stored: (raw) => raw ?? '',
    arn: (ctx, raw) => templateArn(ctx.region, ctx.caller.accountId, raw as string),
    read: (ctx, name) => getTemplate(ctx.store, ctx.caller.accountId, ctx.region, name),
    tags: (t) => t.tags,
    missing: (raw) => notFound(texts.templateNotFound(raw)),
    policies: false,
  },
  'dedicated-ip-pool': {
    member: 'PoolName',
    stored: (raw) => raw ?? '',
    arn: (ctx, raw) => sesArn(ctx.region, ctx.caller.accountId, 'dedicated-ip-pool', raw ?? ''),
    read: (ctx, name) => getPool(ctx.store, ctx.caller.accountId, ctx.region, name),
    tags: (p) => p.tags,
    missing: (raw) => notFound(texts.poolNotFound(raw)),
    policies: false,
  },
  // Tag operations name a tenant `name/id`; its own operations authorize through tenants.ts.
  tenant: {
    member: 'TenantName',
    stored: (raw) => raw ?? '',
    arn: (ctx, raw) => `arn:aws:ses:${ctx.region}:${ctx.caller.accountId}:tenant/${raw ?? ''}`,
    read: (ctx, name) => getTenantByResourceName(ctx.store, ctx.caller.accountId, ctx.region, name),
    tags: (t) => t.tags,
    missing: (raw) => notFound(texts.tenantNotFound(raw)),
    policies: false,
  },
  'multi-region-endpoint': {
    member: 'EndpointName',
    stored: (raw) => raw ?? '',
    arn: (ctx, raw) => sesArn(ctx.region, ctx.caller.accountId, 'multi-region-endpoint', raw ?? ''),
    read: (ctx, name) => getEndpoint(ctx.store, ctx.caller.accountId, ctx.region, name),
    tags: (e) => e.tags,
    missing: (raw) => notFound(texts.endpointNotFound(raw)),
    policies: false,
  },
  'deliverability-test-report': {
    member: 'ReportId',
    stored: (raw) => raw ?? '',
    arn: (ctx, raw) => sesArn(ctx.region, ctx.caller.accountId, 'deliverability-test-report', raw ?? ''),
    read: (ctx, id) => getTestReport(ctx.store, ctx.caller.accountId, ctx.region, id),
    tags: (r) => r.tags,
    missing: (raw) => notFound(texts.testReportNotFound(raw)),
    policies: false,
  },
  'contact-list': {
    member: 'ContactListName',
    stored: (raw) => raw ?? '',
    arn: (ctx, raw) => contactListArn(ctx.region, ctx.caller.accountId, raw as string),
    read: (ctx, name) => getContactList(ctx.store, ctx.caller.accountId, ctx.region, name),
    tags: (l) => l.tags,
    missing: (raw) => listNotFound(raw),
    policies: false,
  },
  'custom-verification-email-template': {
    member: 'TemplateName',
    stored: (raw) => raw ?? '',
    arn: (ctx, raw) => customVerificationTemplateArn(ctx.region, ctx.caller.accountId, raw as string),
    read: (ctx, name) => getCustomVerificationTemplate(ctx.store, ctx.caller.accountId, ctx.region, name),
    tags: (t) => t.tags,
    missing: (raw) => notFound(customTemplateTexts.notFound(raw)),
    policies: false,
  },
};

// What authorize read, keyed by the call's input object (the same object reaches handle); the
// handler takes it once, and reads afresh when the call did not go through authorize.
interface Read {
  ctx: CallContext;
  kind: TaggableKind;
  name: string;
  row: unknown;
  /** An identity's policies as stored (undefined for the other kinds). */
  policies: StoredPolicy[] | undefined;
}
const reads = new WeakMap<object, Read>();

/** Takes what authorize read for this call (at most once); undefined when it was another call. */
function take(ctx: CallContext, input: object, kind: TaggableKind, name: string): Read | undefined {
  const read = reads.get(input);
  reads.delete(input);
  return read && read.ctx === ctx && read.kind === kind && read.name === name ? read : undefined;
}

/** The resource's tags and, for identities, its policies, read together; remembered for `readRow`. */
export async function readForAuthorization(
  ctx: CallContext,
  input: object,
  kind: TaggableKind,
  name: string,
): Promise<{ tags: Tag[] | undefined; resourcePolicies?: NamedPolicy[] }> {
  const k = KINDS[kind] as Kind<TaggableKind>;
  const [row, policies] = await Promise.all([
    k.read(ctx, name),
    k.policies ? listPolicies(ctx.store, ctx.caller.accountId, ctx.region, name) : undefined,
  ]);
  reads.set(input, { ctx, kind, name, row, policies });
  return {
    tags: row ? k.tags(row) : undefined,
    ...(policies ? { resourcePolicies: namedPolicies(name, policies) } : {}),
  };
}

/** The row authorize read for this call, or a fresh read. */
function readRow<K extends TaggableKind>(
  ctx: CallContext,
  input: object,
  kind: K,
  name: string,
): Promise<Rows[K] | undefined> {
  const read = take(ctx, input, kind, name);
  return read ? Promise.resolve(read.row as Rows[K] | undefined) : KINDS[kind].read(ctx, name);
}

/** The resource's tags as authorize read them (undefined when it does not exist). */
export async function readTags(
  ctx: CallContext,
  input: object,
  kind: TaggableKind,
  name: string,
): Promise<Tag[] | undefined> {
  const row = await readRow(ctx, input, kind, name);
  return row ? (KINDS[kind] as Kind<TaggableKind>).tags(row) : undefined;
}

/** The resource a handler works on, read at most once. */
export interface Found<R> {
  /** The row, undefined when there is none. */
  row(): Promise<R | undefined>;
  /** The row, or the kind's NotFoundException. */
  existing(): Promise<R>;
}

/** An identity also brings its policies, as stored. */
export interface FoundIdentity extends Found<SesIdentityRow> {
  /** The policies authorize read (by name), or a fresh read; read at most once. */
  policies(): Promise<StoredPolicy[]>;
}

type Founds = { [K in TaggableKind]: K extends 'identity' ? FoundIdentity : Found<Rows[K]> };

export type ResourceHandler<I, F> = (ctx: CallContext, input: I, found: F) => Promise<unknown>;
type Named<K extends TaggableKind> = { [M in Members[K]]: string };

/** Operations on an existing resource of `kind`: `on(kind)('GetX', handler)`. */
const on =
  <K extends TaggableKind>(kind: K) =>
  <I extends Named<K>>(operation: string, run: ResourceHandler<I, Founds[K]>): Operation<I> => {
    const k = KINDS[kind] as Kind<K>;
    const raw = (input: I): string | undefined => (input as Record<string, string | undefined>)[k.member];
    return {
      async authorize(ctx, input): Promise<AuthorizationCheck[]> {
        const { tags, resourcePolicies } = await readForAuthorization(ctx, input, kind, k.stored(raw(input)));
        return [
          {
            action: `ses:${operation}`,
            resource: k.arn(ctx, raw(input)),
            ...(resourcePolicies ? { resourcePolicies } : {}),
            ...withContext(resourceTagContext(tags)),
          },
        ];
      },
      handle(ctx, input) {
        // Taken once, when the handler first asks for the row or the policies.
        let taken: { name: string; handed: Read | undefined } | undefined;
        const hand = (): { name: string; handed: Read | undefined } => {
          if (taken) return taken;
          const name = k.stored(raw(input));
          return (taken = { name, handed: take(ctx, input, kind, name) });
        };
        let read: Promise<Rows[K] | undefined> | undefined;
        let listed: Promise<StoredPolicy[]> | undefined;
        const row = (): Promise<Rows[K] | undefined> => {
          const { name, handed } = hand();
          return (read ??= handed ? Promise.resolve(handed.row as Rows[K] | undefined) : k.read(ctx, name));
        };
        const existing = async (): Promise<Rows[K]> => {
          const found = await row();
          if (!found) throw k.missing(raw(input) as string);
          return found;
        };
        const policies = (): Promise<StoredPolicy[]> => {
          const { name, handed } = hand();
          return (listed ??= handed?.policies
            ? Promise.resolve(handed.policies)
            : listPolicies(ctx.store, ctx.caller.accountId, ctx.region, name));
        };
        // Founds[K] cannot be narrowed from K inside the generic: k.policies says which it is.
        const found = k.policies ? { row, existing, policies } : { row, existing };
        return run(ctx, input, found as Founds[K]);
      },
    };
  };

export const onIdentity = on('identity');
export const onConfigurationSet = on('configuration-set');
export const onTemplate = on('template');
export const onPool = on('dedicated-ip-pool');
export const onEndpoint = on('multi-region-endpoint');
export const onTestReport = on('deliverability-test-report');
export const onContactList = on('contact-list');
export const onCustomVerificationTemplate = on('custom-verification-email-template');

/** Create* of `kind`: the new resource's ARN, its Tags as aws:RequestTag/* and aws:TagKeys. */
export const creating =
  <K extends TaggableKind>(kind: K, operation: string) =>
  (ctx: CallContext, input: Partial<Named<K>> & { Tags?: Tag[] }): AuthorizationCheck[] => [
    {
      action: `ses:${operation}`,
      resource: KINDS[kind].arn(ctx, (input as Record<string, string | undefined>)[KINDS[kind].member]),
      ...withContext(requestTagContext(input.Tags)),
    },
  ];
