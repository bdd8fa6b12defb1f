// Template rendering with Handlebars, as SES renders (spec: SES templates are Handlebars).
// Subject and text are not HTML-escaped; the HTML part is. A referenced attribute absent from the
// data is an error (SES: MissingRenderingAttribute), found with Handlebars' strict mode.
import Handlebars from 'handlebars';
import type { TemplateContent } from './templates.js';

export type RenderResult =
  | { ok: true; subject: string; text?: string; html?: string }
  | {
      ok: false;
      reason:
        | 'InvalidRenderingParameter'
        | 'MissingRenderingAttribute'
        | 'InvalidTemplate'
        | 'RenderingBudgetExceeded';
      message: string;
    };

/** Syntax check at create/update time: the first part that does not parse, or undefined. */
export function templateSyntaxError(content: TemplateContent): string | undefined {
  for (const part of [content.subject, content.text, content.html]) {
    if (part === undefined) continue;
    try {
      Handlebars.parse(part);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

function parseData(dataJson: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(dataJson) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function renderTemplate(template: TemplateContent, dataJson: string): RenderResult {
  const data = parseData(dataJson);
  if (!data)
    return { ok: false, reason: 'InvalidRenderingParameter', message: 'Template rendering data is invalid' };
  const render = (source: string, escape: boolean): string =>
    Handlebars.compile(source, { strict: true, noEscape: !escape })(data);
  try {
    const out: RenderResult = {
      ok: true,
      subject: template.subject === undefined ? '' : render(template.subject, false),
    };
    if (template.text !== undefined) out.text = render(template.text, false);
    if (template.html !== undefined) out.html = render(template.html, true);
    return out;
  } catch (e) {
    const message = (e as Error).message;
    const missing = /^"([^"]*)" not defined in/.exec(message);
    if (missing) {
      return {
        ok: false,
        reason: 'MissingRenderingAttribute',
        message: `Attribute '${missing[1]}' is not present in the rendering data.`,
      };
    }
    return { ok: false, reason: 'InvalidTemplate', message: 'Template has invalid syntax or content' };
  }
}

/** The MIME message TestRenderTemplate answers with: headers, then text and/or HTML parts. */
export function renderedMime(
  rendered: { subject: string; text?: string; html?: string },
  now: Date,
  boundarySeed: string,
): string {
  const head = [
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Subject: ${rendered.subject}`,
    'MIME-Version: 1.0',
  ];
  const part = (type: string, body: string): string =>
    `Content-Type: ${type}; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${body}`;
  const parts: string[] = [];
  if (rendered.text !== undefined) parts.push(part('text/plain', rendered.text));
  if (rendered.html !== undefined) parts.push(part('text/html', rendered.html));
  if (parts.length <= 1) return [...head, parts[0] ?? part('text/plain', '')].join('\r\n');
  const boundary = `----=_Part_${boundarySeed}`;
  return [
    ...head,
    `Content-Type: multipart/alternative; \r\n\tboundary="${boundary}"`,
    '',
    ...parts.map((p) => `--${boundary}\r\n${p}`),
    `--${boundary}--`,
  ].join('\r\n');
}
