// What the mailbox lists and searches, decoded: the Subject and the From display name as a person
// reads them (RFC 2047 encoded words decoded by mailparser), and the lower-cased text `q` searches.
import { simpleParser } from 'mailparser';

export interface DecodedHeaders {
  subject?: string;
  fromName?: string;
  fromAddress?: string;
}

/** Only the header block is parsed: a 40 MB message costs no more than its headers. */
export async function decodeHeaders(raw: Buffer): Promise<DecodedHeaders> {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.subarray(0, end);
  const m = await simpleParser(Buffer.concat([head, Buffer.from('\r\n\r\n')]), {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  const out: DecodedHeaders = {};
  if (m.subject !== undefined) out.subject = m.subject;
  const from = (Array.isArray(m.from) ? m.from[0] : m.from)?.value[0];
  if (from?.name) out.fromName = from.name;
  if (from?.address) out.fromAddress = from.address;
  return out;
}

/** Subject, From (address and name) and recipients, lower-cased by JavaScript (Unicode-aware, unlike SQLite's lower()). */
export function searchText(
  h: DecodedHeaders,
  fromAddress: string | undefined,
  recipients: readonly string[],
): string {
  return [h.subject ?? '', fromAddress ?? h.fromAddress ?? '', h.fromName ?? '', ...recipients]
    .join('\n')
    .toLowerCase();
}
