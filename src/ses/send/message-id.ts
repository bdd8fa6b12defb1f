// SES MessageIds: 16 hex digits, a UUID, then a 6-digit counter (docs/spec/ses.md §3.3), e.g.
// `0100017f4e2a1b3c-6f1d2c3b-4a5e-4f60-8b7a-1c2d3e4f5a6b-000000`. The 16 digits are `0100` then the
// acceptance time in epoch milliseconds (12 hex digits), as real ids read.
import { randomUUID } from 'node:crypto';

export const MESSAGE_ID_PATTERN =
  /^[0-9a-f]{16}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-\d{6}$/;

export function newMessageId(now: Date): string {
  const ms = Math.max(0, Math.floor(now.getTime())) % 2 ** 48;
  return `0100${ms.toString(16).padStart(12, '0')}-${randomUUID()}-000000`;
}

/** The Message-ID header SES writes for a message it accepted (docs/spec/ses.md §1.3: SES rewrites it). */
export const messageIdHeader = (messageId: string, region: string): string =>
  `<${messageId}@${region}.amazonses.com>`;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date in UTC: `Sat, 28 Nov 2026 12:00:00 +0000`. */
export function rfc5322Date(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())} +0000`;
}
