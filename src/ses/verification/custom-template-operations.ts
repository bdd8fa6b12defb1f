// Custom verification email templates, v1 (Query) and v2 (REST-JSON): the same rows, each API's own
// shapes and errors. One IAM action per operation name covers both APIs, so both authorize
// `ses:<Operation>` on the custom-verification-email-template ARN (List on `*`).
import type { CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { findSendingIdentity } from '../state/identities.js';
import type { Tag } from '../state/json.js';
import { decodeNextToken, pageSize, toPage } from '../state/paging.js';
import { afterToken } from '../v2/common.js';
import { creating, onCustomVerificationTemplate } from '../v2/resources.js';
import { checkTags } from '../v2/tag-rules.js';
import { invalidParameter, texts } from '../errors.js';
import {
  deleteCustomVerificationTemplate,
  insertCustomVerificationTemplate,
  listCustomVerificationTemplates,
  updateCustomVerificationTemplate,
  type CustomVerificationTemplate,
} from './custom-templates.js';
import { sendCustomVerificationEmail } from './custom-send.js';
import {
  checkTemplateInput,
  customTemplateTexts,
  templateErrors,
  type Api,
  type TemplateInput,
} from './custom-template-rules.js';

type Named = TemplateInput & { TemplateName: string };

/** From must be a verified address, or an address of a verified domain, of the account. */
async function requireVerifiedFrom(ctx: CallContext, api: Api, from: string): Promise<void> {
  const found = await findSendingIdentity(ctx.store, ctx.caller.accountId, ctx.region, from);
  if (!found?.verified) throw templateErrors.fromNotVerified(api, customTemplateTexts.fromNotVerified(from));
}

const fieldsOf = (i: TemplateInput) => ({
  ...(i.FromEmailAddress !== undefined ? { fromEmailAddress: i.FromEmailAddress } : {}),
  ...(i.TemplateSubject !== undefined ? { subject: i.TemplateSubject } : {}),
  ...(i.TemplateContent !== undefined ? { content: i.TemplateContent } : {}),
  ...(i.SuccessRedirectionURL !== undefined ? { successRedirectionUrl: i.SuccessRedirectionURL } : {}),
  ...(i.FailureRedirectionURL !== undefined ? { failureRedirectionUrl: i.FailureRedirectionURL } : {}),
});

const metadata = (t: CustomVerificationTemplate) => ({
  TemplateName: t.name,
  FromEmailAddress: t.fromEmailAddress,
  TemplateSubject: t.subject,
  SuccessRedirectionURL: t.successRedirectionUrl,
  FailureRedirectionURL: t.failureRedirectionUrl,
});

function operations(api: Api): OperationTable {
  return {
    CreateCustomVerificationEmailTemplate: {
      authorize: creating('custom-verification-email-template', 'CreateCustomVerificationEmailTemplate'),
      async handle(ctx: CallContext, i: Named & { Tags?: Tag[] }) {
        checkTemplateInput(api, i, false);
        const tags = api === '2' ? checkTags(i.Tags) : [];
        await requireVerifiedFrom(ctx, api, i.FromEmailAddress!);
        const fields = fieldsOf(i) as Required<ReturnType<typeof fieldsOf>>;
        const outcome = await insertCustomVerificationTemplate(
          ctx.store,
          ctx.caller.accountId,
          ctx.region,
          { name: i.TemplateName, ...fields, tags },
          ctx.now,
        );
        if (outcome === 'exists') throw templateErrors.exists(api, i.TemplateName);
        if (outcome === 'limit') throw templateErrors.limit(api);
        return {};
      },
    },
    GetCustomVerificationEmailTemplate: onCustomVerificationTemplate<{ TemplateName: string }>(
      'GetCustomVerificationEmailTemplate',
      async (ctx, i, found) => {
        const t = await found.row();
        if (!t) throw templateErrors.notFound(api, i.TemplateName);
        return { ...metadata(t), TemplateContent: t.content, ...(api === '2' ? { Tags: t.tags } : {}) };
      },
    ),
    // v2 requires every field; v1 writes the ones given.
    UpdateCustomVerificationEmailTemplate: onCustomVerificationTemplate<Named>(
      'UpdateCustomVerificationEmailTemplate',
      async (ctx, i, found) => {
        checkTemplateInput(api, i, api === '1');
        if (!(await found.row())) throw templateErrors.notFound(api, i.TemplateName);
        if (i.FromEmailAddress !== undefined) await requireVerifiedFrom(ctx, api, i.FromEmailAddress);
        const ok = await updateCustomVerificationTemplate(
          ctx.store,
          ctx.caller.accountId,
          ctx.region,
          i.TemplateName,
          fieldsOf(i),
        );
        if (!ok) throw templateErrors.notFound(api, i.TemplateName);
        return {};
      },
    ),
    DeleteCustomVerificationEmailTemplate: onCustomVerificationTemplate<{ TemplateName: string }>(
      'DeleteCustomVerificationEmailTemplate',
      async (ctx, i) => {
        const deleted = await deleteCustomVerificationTemplate(
          ctx.store,
          ctx.caller.accountId,
          ctx.region,
          i.TemplateName,
        );
        // v1 answers success for a template that is not there (the model lists no error).
        if (!deleted && api === '2') throw templateErrors.notFound(api, i.TemplateName);
        return {};
      },
    ),
    ListCustomVerificationEmailTemplates: {
      authorize: onAnyResource('ListCustomVerificationEmailTemplates'),
      async handle(ctx: CallContext, i: { NextToken?: string; PageSize?: number; MaxResults?: number }) {
        let after: string | undefined;
        if (api === '2') after = afterToken(i.NextToken);
        else {
          const decoded = decodeNextToken(i.NextToken);
          if (decoded === null) throw invalidParameter(texts.invalidNextToken);
          after = decoded;
        }
        // "At least 1 and no more than 50; outside that, up to 50 results" (v1 model docs).
        const requested = api === '2' ? i.PageSize : i.MaxResults;
        const size =
          requested !== undefined && requested >= 1 && requested <= 50
            ? requested
            : pageSize(undefined, 50, 50);
        const rows = await listCustomVerificationTemplates(ctx.store, ctx.caller.accountId, ctx.region, {
          ...(after !== undefined ? { after } : {}),
          limit: size + 1,
        });
        const page = toPage(rows, size, (t) => t.name);
        return {
          CustomVerificationEmailTemplates: page.items.map(metadata),
          ...(page.nextToken ? { NextToken: page.nextToken } : {}),
        };
      },
    },
  };
}

/** The six custom verification operations of each API (the five template ones and the send). */
export const customVerificationOperationsV1: OperationTable = {
  ...operations('1'),
  SendCustomVerificationEmail: sendCustomVerificationEmail('1'),
};
export const customVerificationOperationsV2: OperationTable = {
  ...operations('2'),
  SendCustomVerificationEmail: sendCustomVerificationEmail('2'),
};
