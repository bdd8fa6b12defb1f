// Builds the MIME message for Simple and templated content with nodemailer's MailComposer, the way
// SES composes one from SendEmail parameters. Message-ID and Date are rewritten at commit.
import MailComposer from 'nodemailer/lib/mail-composer';
import type { ComposeSpec } from './send-request.js';

export interface ComposedContent {
  subject: string;
  text?: string;
  html?: string;
}

export async function composeMessage(spec: ComposeSpec, content: ComposedContent): Promise<Buffer> {
  const composer = new MailComposer({
    from: spec.from,
    to: spec.to,
    cc: spec.cc.length ? spec.cc : undefined,
    // Bcc recipients are envelope-only: SES never writes a Bcc header for composed mail.
    replyTo: spec.replyTo.length ? spec.replyTo : undefined,
    subject: content.subject,
    text: content.text,
    html: content.html,
    headers: spec.headers.map((h) => ({ key: h.name, value: h.value })),
    attachments: spec.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
      contentDisposition: a.disposition,
      cid: a.cid,
      contentTransferEncoding: a.encoding,
      headers: a.description ? { 'Content-Description': a.description } : undefined,
    })),
    // Content comes from the caller: attachments must never read local files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
