// SES v1 template operations. v1 templates are the v2 email templates (one store).
import type { CallContext, Operation, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { invalidParameter, texts, v1Error } from '../errors.js';
import { decodeNextToken, pageSize, toPage } from '../state/paging.js';
import { renderedMime, templateSyntaxError } from '../state/render.js';
import { renderLimits, renderWithBudget } from '../render/render-pool.js';
import {
  deleteTemplate,
  getTemplate,
  insertTemplate,
  listTemplates,
  updateTemplate,
  type TemplateContent,
} from '../state/templates.js';

const op = <I>(name: string, handle: (ctx: CallContext, input: I) => Promise<unknown>): Operation<I> => ({
  authorize: onAnyResource(name),
  handle,
});

interface V1Template {
  TemplateName: string;
  SubjectPart?: string;
  TextPart?: string;
  HtmlPart?: string;
}

function contentOf(t: V1Template): TemplateContent {
  const c: TemplateContent = {};
  if (t.SubjectPart !== undefined) c.subject = t.SubjectPart;
  if (t.TextPart !== undefined) c.text = t.TextPart;
  if (t.HtmlPart !== undefined) c.html = t.HtmlPart;
  const bad = templateSyntaxError(c);
  if (bad !== undefined)
    throw v1Error('InvalidTemplate', `Invalid template ${t.TemplateName}: ${bad.split('\n')[0]}`);
  return c;
}

function templateName(t: V1Template | undefined): string {
  if (!t || !t.TemplateName) throw invalidParameter('Template name cannot be empty.');
  return t.TemplateName;
}

export const templateOperations: OperationTable = {
  CreateTemplate: op<{ Template: V1Template }>('CreateTemplate', async (ctx, i) => {
    const name = templateName(i.Template);
    const created = await insertTemplate(
      ctx.store,
      ctx.caller.accountId,
      ctx.region,
      name,
      contentOf(i.Template),
      [],
      ctx.now,
    );
    if (!created) throw v1Error('AlreadyExists', texts.templateExists(name));
    return {};
  }),
  GetTemplate: op<{ TemplateName: string }>('GetTemplate', async (ctx, i) => {
    const t = await getTemplate(ctx.store, ctx.caller.accountId, ctx.region, i.TemplateName);
    if (!t) throw v1Error('TemplateDoesNotExist', texts.templateNotFound(i.TemplateName));
    return {
      Template: {
        TemplateName: t.name,
        ...(t.subject !== undefined ? { SubjectPart: t.subject } : {}),
        ...(t.text !== undefined ? { TextPart: t.text } : {}),
        ...(t.html !== undefined ? { HtmlPart: t.html } : {}),
      },
    };
  }),
  UpdateTemplate: op<{ Template: V1Template }>('UpdateTemplate', async (ctx, i) => {
    const name = templateName(i.Template);
    const updated = await updateTemplate(
      ctx.store,
      ctx.caller.accountId,
      ctx.region,
      name,
      contentOf(i.Template),
    );
    if (!updated) throw v1Error('TemplateDoesNotExist', texts.templateNotFound(name));
    return {};
  }),
  // v1 DeleteTemplate models no error: deleting a missing template succeeds.
  DeleteTemplate: op<{ TemplateName: string }>('DeleteTemplate', async (ctx, i) => {
    await deleteTemplate(ctx.store, ctx.caller.accountId, ctx.region, i.TemplateName);
    return {};
  }),
  ListTemplates: op<{ NextToken?: string; MaxItems?: number }>('ListTemplates', async (ctx, i) => {
    const after = decodeNextToken(i.NextToken);
    if (after === null) throw invalidParameter(texts.invalidNextToken);
    const size = pageSize(i.MaxItems, 10, 100);
    const rows = await listTemplates(ctx.store, ctx.caller.accountId, ctx.region, {
      ...(after !== undefined ? { after } : {}),
      limit: size + 1,
    });
    const page = toPage(rows, size, (t) => t.name);
    return {
      TemplatesMetadata: page.items.map((t) => ({ Name: t.name, CreatedTimestamp: t.createdAt })),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }),
  TestRenderTemplate: op<{ TemplateName: string; TemplateData: string }>(
    'TestRenderTemplate',
    async (ctx, i) => {
      const t = await getTemplate(ctx.store, ctx.caller.accountId, ctx.region, i.TemplateName);
      if (!t) throw v1Error('TemplateDoesNotExist', texts.templateNotFound(i.TemplateName));
      const r = await renderWithBudget(renderLimits(ctx.config), t, i.TemplateData);
      // A render over its budget is the data's doing (`{{#each}}` over it): SES's data error.
      if (!r.ok)
        throw v1Error(
          r.reason === 'RenderingBudgetExceeded' ? 'InvalidRenderingParameter' : r.reason,
          r.message,
        );
      return { RenderedTemplate: renderedMime(r, ctx.now, ctx.requestId.replace(/-/g, '').slice(0, 16)) };
    },
  ),
};
