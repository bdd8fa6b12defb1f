// TagResource, UntagResource and ListTagsForResource (REST /v2/email/tags) on email identities,
// configuration sets and templates of the caller's account in the request's region.
// Authorization: ses:<Operation> on the ResourceArn as given, with the resource's current tags as
// aws:ResourceTag/* and, for TagResource, aws:RequestTag/* and aws:TagKeys (UntagResource:
// aws:TagKeys); identity ARNs also bring the identity's own policies (an explicit Deny there counts).
import type { AuthorizationCheck, CallContext, OperationTable } from '../../api/operation.js';
import type { ContextValue, NamedPolicy } from '../../policy/request.js';
import type { AwsError } from '../../errors/aws-error.js';
import { badRequest, notFound } from '../errors.js';
import type { Tag } from '../state/json.js';
import { tagResource, untagResource, type TaggedResource } from '../state/tags.js';
import { readForAuthorization, readTags } from './resources.js';
import { arnTexts, parseTagArn, RESOURCE_LABELS } from './tag-arn.js';
import {
  checkTags,
  isSystemTagKey,
  MAX_TAGS_PER_RESOURCE,
  requestTagContext,
  resourceTagContext,
  tagTexts,
} from './tag-rules.js';

export const regionTexts = {
  // Reported by third-party probes for an ARN of another region than the request's.
  tag: 'Failed to tag resource',
  untag: 'Failed to untag resource',
};

interface Located {
  resource: TaggedResource;
  /** The ARN's own region field. */
  arnRegion: string;
}

/** The resource the ARN names, looked up in the request's region; throws AWS's refusal. */
function locate(ctx: CallContext, arn: string | undefined): Located {
  const parsed = parseTagArn(arn ?? '', ctx.caller.accountId);
  if (!parsed.ok) {
    throw parsed.status === 404 ? notFound(parsed.message) : badRequest(parsed.message);
  }
  return {
    resource: { accountId: ctx.caller.accountId, region: ctx.region, kind: parsed.kind, name: parsed.name },
    arnRegion: parsed.region,
  };
}

const missing = (r: TaggedResource): AwsError =>
  notFound(arnTexts.notFound(RESOURCE_LABELS[r.kind]!, r.name));

async function tagCheck(
  ctx: CallContext,
  input: { ResourceArn?: string },
  action: string,
  request: Record<string, ContextValue>,
): Promise<AuthorizationCheck[]> {
  const arn = input.ResourceArn;
  const context: Record<string, ContextValue> = { ...request };
  let resourcePolicies: NamedPolicy[] | undefined;
  const parsed = parseTagArn(arn ?? '', ctx.caller.accountId);
  // A refused ARN is answered by the handler, after authorization; only a readable one has tags.
  if (parsed.ok) {
    const read = await readForAuthorization(ctx, input, parsed.kind, parsed.name);
    Object.assign(context, resourceTagContext(read.tags));
    resourcePolicies = read.resourcePolicies;
  }
  return [
    {
      action,
      resource: arn ?? '',
      ...(Object.keys(context).length > 0 ? { context } : {}),
      ...(resourcePolicies ? { resourcePolicies } : {}),
    },
  ];
}

interface TagInput {
  ResourceArn?: string;
  Tags?: Tag[];
}
interface UntagInput {
  ResourceArn?: string;
  TagKeys?: string[];
}

export const tagOperations: OperationTable = {
  TagResource: {
    authorize: (ctx, i: TagInput) => tagCheck(ctx, i, 'ses:TagResource', requestTagContext(i.Tags)),
    async handle(ctx: CallContext, i: TagInput) {
      const { resource, arnRegion } = locate(ctx, i.ResourceArn);
      if (arnRegion !== ctx.region) throw badRequest(regionTexts.tag);
      if ((i.Tags ?? []).length === 0) throw badRequest(tagTexts.emptyList);
      const tags = checkTags(i.Tags);
      const res = await tagResource(ctx.store, resource, tags, MAX_TAGS_PER_RESOURCE);
      if (res === 'missing') throw missing(resource);
      if (res === 'limit') throw badRequest(tagTexts.tooManyAfterMerge);
      return {};
    },
  },
  UntagResource: {
    authorize: (ctx, i: UntagInput) =>
      tagCheck(ctx, i, 'ses:UntagResource', { 'aws:TagKeys': i.TagKeys ?? [] }),
    async handle(ctx: CallContext, i: UntagInput) {
      const { resource, arnRegion } = locate(ctx, i.ResourceArn);
      if (arnRegion !== ctx.region) throw badRequest(regionTexts.untag);
      const keys = i.TagKeys ?? [];
      // [INF] The docs say aws: tags cannot be removed; the wording is TagResource's.
      if (keys.some(isSystemTagKey)) throw badRequest(tagTexts.systemTag);
      if (!(await untagResource(ctx.store, resource, keys))) throw missing(resource);
      return {};
    },
  },
  ListTagsForResource: {
    authorize: (ctx, i: { ResourceArn?: string }) => tagCheck(ctx, i, 'ses:ListTagsForResource', {}),
    // The ARN's region is not compared: the resource is read in the request's region (reported).
    async handle(ctx: CallContext, i: { ResourceArn?: string }) {
      const { resource } = locate(ctx, i.ResourceArn);
      const tags = await readTags(ctx, i, resource.kind, resource.name);
      if (tags === undefined) throw missing(resource);
      return { Tags: tags };
    },
  },
};
