// SES v2 email templates: the same objects as v1 templates.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { alreadyExists, badRequest, notFound, texts } from '../errors.js';
import type { Tag } from '../state/json.js';
import { pageSize, toPage } from '../state/paging.js';
import { renderedMime, templateSyntaxError } from '../state/render.js';
import { renderLimits, renderWithBudget } from '../render/render-pool.js';
import {
  deleteTemplate,
  insertTemplate,
  listTemplates,
  updateTemplate,
  type TemplateContent,
} from '../state/templates.js';
import { afterToken } from './common.js';
import { creating, onTemplate } from './resources.js';
import { checkTags } from './tag-rules.js';

interface CreateInput {
  TemplateName: string;
  TemplateContent: V2Content;
  Tags?: Tag[];
}

interface V2Content {
  Subject?: string;
  Text?: string;
  Html?: string;
}

function contentOf(name: string, c: V2Content | undefined): TemplateContent {
  const out: TemplateContent = {};
  if (c?.Subject !== undefined) out.subject = c.Subject;
  if (c?.Text !== undefined) out.text = c.Text;
  if (c?.Html !== undefined) out.html = c.Html;
  const bad = templateSyntaxError(out);
  if (bad !== undefined) throw badRequest(`Invalid template ${name}: ${bad.split('\n')[0]}`);
  return out;
}

export const templateOperations: OperationTable = {
  CreateEmailTemplate: {
    authorize: creating('template', 'CreateEmailTemplate'),
    async handle(ctx: CallContext, i: CreateInput) {
      if (!i.TemplateName) throw badRequest('Template name cannot be empty.');
      const content = contentOf(i.TemplateName, i.TemplateContent);
      const created = await insertTemplate(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        i.TemplateName,
        content,
        checkTags(i.Tags),
        ctx.now,
      );
      if (!created) throw alreadyExists(texts.templateExists(i.TemplateName));
      return {};
    },
  },
  GetEmailTemplate: onTemplate<{ TemplateName: string }>('GetEmailTemplate', async (ctx, i, found) => {
    const t = await found.existing();
    return {
      TemplateName: t.name,
      TemplateContent: {
        ...(t.subject !== undefined ? { Subject: t.subject } : {}),
        ...(t.text !== undefined ? { Text: t.text } : {}),
        ...(t.html !== undefined ? { Html: t.html } : {}),
      },
      Tags: t.tags,
    };
  }),
  UpdateEmailTemplate: onTemplate<{ TemplateName: string; TemplateContent: V2Content }>(
    'UpdateEmailTemplate',
    async (ctx, i) => {
      if (
        !(await updateTemplate(
          ctx.store,
          ctx.caller.accountId,
          ctx.region,
          i.TemplateName,
          contentOf(i.TemplateName, i.TemplateContent),
        ))
      ) {
        throw notFound(texts.templateNotFound(i.TemplateName));
      }
      return {};
    },
  ),
  DeleteEmailTemplate: onTemplate<{ TemplateName: string }>('DeleteEmailTemplate', async (ctx, i) => {
    if (!(await deleteTemplate(ctx.store, ctx.caller.accountId, ctx.region, i.TemplateName))) {
      throw notFound(texts.templateNotFound(i.TemplateName));
    }
    return {};
  }),
  ListEmailTemplates: {
    authorize: onAnyResource('ListEmailTemplates'),
    async handle(ctx: CallContext, i: { NextToken?: string; PageSize?: number }) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 10, 100);
      const rows = await listTemplates(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (t) => t.name);
      return {
        TemplatesMetadata: page.items.map((t) => ({ TemplateName: t.name, CreatedTimestamp: t.createdAt })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
  TestRenderEmailTemplate: onTemplate<{ TemplateName: string; TemplateData: string }>(
    'TestRenderEmailTemplate',
    async (ctx, i, found) => {
      const t = await found.existing();
      const r = await renderWithBudget(renderLimits(ctx.config), t, i.TemplateData);
      if (!r.ok) throw badRequest(r.message);
      return { RenderedTemplate: renderedMime(r, ctx.now, ctx.requestId.replace(/-/g, '').slice(0, 16)) };
    },
  ),
};
