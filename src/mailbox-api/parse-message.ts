// A captured message as the mailbox API shows it: headers, addresses, text, HTML and attachment
// metadata (never attachment bytes; `?format=raw` gives the whole MIME).
import { simpleParser, type AddressObject } from 'mailparser';

export interface ParsedMessage {
  Subject?: string;
  From: string[];
  To: string[];
  Cc: string[];
  Date?: string;
  Headers: { Name: string; Value: string }[];
  Text?: string;
  Html?: string;
  /** References to images on other hosts in the HTML part: what "load remote images" would load. */
  RemoteImages: number;
  Attachments: {
    Filename?: string;
    ContentType: string;
    Size: number;
    ContentId?: string;
    Inline: boolean;
  }[];
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? '').filter(Boolean));

/** Unfolded header lines in order, names as written. */
function rawHeaders(raw: Buffer): { Name: string; Value: string }[] {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return head
    .split(/\r?\n/)
    .map((l) => {
      const i = l.indexOf(':');
      return i < 0 ? undefined : { Name: l.slice(0, i), Value: l.slice(i + 1).trim() };
    })
    .filter((h): h is { Name: string; Value: string } => h !== undefined);
}

/** `<img src="https://…">`, `background="//…"`, CSS `url(http://…)`: what a remote-image policy governs. */
export function remoteImages(html: string): number {
  const attrs = html.match(/\b(?:src|background|poster)\s*=\s*["']?\s*(?:https?:)?\/\//gi) ?? [];
  const css = html.match(/url\(\s*["']?\s*(?:https?:)?\/\//gi) ?? [];
  return attrs.length + css.length;
}

export async function parseMessage(raw: Buffer): Promise<ParsedMessage> {
  const m = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const out: ParsedMessage = {
    From: addresses(m.from),
    To: addresses(m.to),
    Cc: addresses(m.cc),
    Headers: rawHeaders(raw),
    RemoteImages: typeof m.html === 'string' ? remoteImages(m.html) : 0,
    Attachments: m.attachments.map((a) => ({
      ...(a.filename ? { Filename: a.filename } : {}),
      ContentType: a.contentType,
      Size: a.size,
      ...(a.contentId ? { ContentId: a.contentId } : {}),
      Inline: a.contentDisposition === 'inline',
    })),
  };
  if (m.subject !== undefined) out.Subject = m.subject;
  if (m.date) out.Date = m.date.toISOString();
  if (m.text !== undefined) out.Text = m.text;
  if (typeof m.html === 'string') out.Html = m.html;
  return out;
}
