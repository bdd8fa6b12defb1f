// SES v2 contact lists: Create/Get/Update/Delete/ListContactList(s). Authorized as
// `ses:<Operation>` on the contact-list ARN (List on `*`), with the list's tags as aws:ResourceTag/*.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { badRequest } from '../errors.js';
import type { Tag } from '../state/json.js';
import { pageSize, toPage } from '../state/paging.js';
import { afterToken } from '../v2/common.js';
import { creating, onContactList } from '../v2/resources.js';
import { checkTags } from '../v2/tag-rules.js';
import {
  deleteContactList,
  insertContactList,
  listContactLists,
  updateContactList,
} from './contact-lists.js';
import type { Topic } from './topics.js';
import { checkListContent, checkListName, listNotFound, listTexts } from './validate.js';

interface ListInput {
  ContactListName: string;
  Description?: string;
  Topics?: Topic[];
}

export const contactListOperations: OperationTable = {
  CreateContactList: {
    authorize: creating('contact-list', 'CreateContactList'),
    async handle(ctx: CallContext, i: ListInput & { Tags?: Tag[] }) {
      const name = checkListName(i.ContactListName);
      const topics = checkListContent(i.Description, i.Topics);
      const tags = checkTags(i.Tags);
      const created = await insertContactList(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        { name, ...(i.Description !== undefined ? { description: i.Description } : {}), topics, tags },
        ctx.now,
      );
      // One list per account and region: a second one, whatever its name, is refused.
      if (!created) throw badRequest(listTexts.oneList);
      return {};
    },
  },
  GetContactList: onContactList<{ ContactListName: string }>('GetContactList', async (ctx, i, found) => {
    const list = await found.existing();
    return {
      ContactListName: list.name,
      Topics: list.topics,
      ...(list.description !== undefined ? { Description: list.description } : {}),
      CreatedTimestamp: list.createdAt,
      LastUpdatedTimestamp: list.updatedAt,
      Tags: list.tags,
    };
  }),
  UpdateContactList: onContactList<ListInput>('UpdateContactList', async (ctx, i) => {
    const topics = checkListContent(i.Description, i.Topics);
    const content = { ...(i.Description !== undefined ? { description: i.Description } : {}), topics };
    if (
      !(await updateContactList(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.ContactListName,
        content,
        ctx.now,
      ))
    )
      throw listNotFound(i.ContactListName);
    return {};
  }),
  DeleteContactList: onContactList<{ ContactListName: string }>('DeleteContactList', async (ctx, i) => {
    if (!(await deleteContactList(ctx.store, ctx.caller.accountId, ctx.region, i.ContactListName)))
      throw listNotFound(i.ContactListName);
    return {};
  }),
  ListContactLists: {
    authorize: onAnyResource('ListContactLists'),
    async handle(ctx: CallContext, i: { PageSize?: number; NextToken?: string }) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 1000, 1000);
      const rows = await listContactLists(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (l) => l.name);
      return {
        ContactLists: page.items.map((l) => ({ ContactListName: l.name, LastUpdatedTimestamp: l.updatedAt })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
};
