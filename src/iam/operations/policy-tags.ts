// TagPolicy, UntagPolicy, ListPolicyTags: tags of customer managed policies (the same storage as
// users' and roles'). AWS managed policies carry no tags and cannot be tagged: the write is
// refused by the authorization itself (common.ts policyWriteCheck).
import type { Operation, OperationTable } from '../../api/operation.js';
import { isAwsManagedArn } from '../aws-managed/catalog.js';
import { tagsOf } from '../entities.js';
import * as v from '../input.js';
import type { Tag } from '../input.js';
import { page } from '../paging.js';
import { requireAwsPolicy } from './aws-managed-policies.js';
import { accountOf, mutating, policyCheck, policyWriteCheck, requestTagContext } from './common.js';
import { policyArnInput, requirePolicy } from './managed-policies.js';
import { removeTags, writeTags } from './tags.js';

const tagPolicy: Operation<{ PolicyArn?: string; Tags?: Tag[] }> = mutating({
  authorize: (_ctx, input) => [
    policyWriteCheck('iam:TagPolicy', input.PolicyArn, requestTagContext(input.Tags)),
  ],
  handle: async (ctx, input) => {
    const a = accountOf(ctx);
    const arn = policyArnInput(input.PolicyArn);
    const tags = v.tags(v.required(input.Tags, 'tags'));
    await ctx.store.db.transaction().execute(async (trx) => {
      const p = await requirePolicy(trx, a, arn);
      await writeTags(trx, a, 'policy', p.policy_id, tags);
    });
    return {};
  },
});

const untagPolicy: Operation<{ PolicyArn?: string; TagKeys?: string[] }> = mutating({
  authorize: (_ctx, input) => [
    policyWriteCheck('iam:UntagPolicy', input.PolicyArn, { 'aws:TagKeys': input.TagKeys ?? [] }),
  ],
  handle: async (ctx, input) => {
    const arn = policyArnInput(input.PolicyArn);
    const keys = v.tagKeys(input.TagKeys);
    const p = await requirePolicy(ctx.store.db, accountOf(ctx), arn);
    await removeTags(ctx.store.db, p.policy_id, keys);
    return {};
  },
});

const listPolicyTags: Operation<{ PolicyArn?: string; Marker?: string; MaxItems?: number }> = {
  authorize: (_ctx, input) => [policyCheck('iam:ListPolicyTags', input.PolicyArn)],
  handle: async (ctx, input) => {
    const arn = policyArnInput(input.PolicyArn);
    const max = v.maxItems(input.MaxItems);
    let tags: Tag[] = [];
    if (isAwsManagedArn(arn)) requireAwsPolicy(arn);
    else
      tags = await tagsOf(
        ctx.store.db,
        'policy',
        (await requirePolicy(ctx.store.db, accountOf(ctx), arn)).policy_id,
      );
    const p = page(tags, input.Marker, max);
    return { Tags: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
  },
};

export const policyTagOperations: OperationTable = {
  TagPolicy: tagPolicy,
  UntagPolicy: untagPolicy,
  ListPolicyTags: listPolicyTags,
};
