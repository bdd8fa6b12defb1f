// The message SendCustomVerificationEmail delivers: the template's content as the HTML body, then
// the verification link SES adds and its fixed disclaimer (developer guide, custom verification
// email FAQ Q2 and Q10), from the template's sender with the template's subject.
import MailComposer from 'nodemailer/lib/mail-composer';
import { messageIdHeader, rfc5322Date } from '../send/message-id.js';
import type { CustomVerificationTemplate } from './custom-templates.js';

export const DISCLAIMER_ADDRESS = 'aws-email-domain-verification@amazon.com';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function customVerificationHtml(content: string, link: string): string {
  return (
    `${content}` +
    `<p><a href="${esc(link)}">${esc(link)}</a></p>` +
    `<p>If you did not request to verify this email address, please disregard this message. If you have` +
    ` any concerns, please forward this message to the following` +
    ` <a href="mailto:${DISCLAIMER_ADDRESS}">email address</a> along with your questions or comments.</p>`
  );
}

export async function customVerificationMessage(
  t: CustomVerificationTemplate,
  to: string,
  link: string,
  messageId: string,
  region: string,
  now: Date,
): Promise<Buffer> {
  return new MailComposer({
    from: t.fromEmailAddress,
    to,
    subject: t.subject,
    html: customVerificationHtml(t.content, link),
    date: rfc5322Date(now),
    messageId: messageIdHeader(messageId, region),
    // Content comes from the caller: a data: image stays inline, nothing is fetched.
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
}
