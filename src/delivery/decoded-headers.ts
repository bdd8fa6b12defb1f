// What the mailbox lists and searches, decoded: the Subject and the From display name as a person
// reads them (RFC 2047 encoded words decoded, RFC 6532 UTF-8 read as UTF-8), and the lower-cased
// text `q` searches. Read from the header block alone, with the send path's own parsers (a MIME
// parser's streams cost more than the rest of a captured message's bookkeeping).
import { decodeEncodedWordsJoined, parseAddressList } from '../ses/send/address.js';
import { firstHeader, splitHeaders } from '../ses/send/mime-headers.js';

export interface DecodedHeaders {
  subject?: string;
  fromName?: string;
  fromAddress?: string;
}

/** Only the header block is read: a 40 MB message costs no more than its headers. */
export function decodeHeaders(raw: Buffer): DecodedHeaders {
  const { fields } = splitHeaders(raw);
  const out: DecodedHeaders = {};
  const subject = firstHeader(fields, 'subject');
  // An empty Subject is no subject (the API leaves it out, as it did).
  if (subject) out.subject = decodeEncodedWordsJoined(subject);
  const fromValue = firstHeader(fields, 'from') ?? '';
  const from = parseAddressList(fromValue, decodeEncodedWordsJoined)[0];
  if (from?.name) out.fromName = from.name;
  if (from?.address) out.fromAddress = from.address;
  // `From: Just A Name` or an empty group (`undisclosed-recipients:;`): no address, but the name is
  // still what a person reads.
  if (!from && fromValue !== '' && !fromValue.includes('@'))
    out.fromName = decodeEncodedWordsJoined(
      fromValue
        .replace(/:[^]*$/, '')
        .replace(/^"|"$/g, '')
        .trim(),
    );
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
