// Builds the MIME message for Simple and templated content with nodemailer's MailComposer, the way
// SES composes one from SendEmail parameters. Message-ID and Date are rewritten at commit.
//
// Speed: MailComposer's build() streams every node through PassThrough/encoder pipelines with a
// setImmediate per step (1-2 ms CPU a message). Messages without attachments are serialized here
// synchronously from the same compiled tree: headers still come from nodemailer (encoded-words,
// address folding), bodies use the same QP/base64 encoders in their one-shot form, so the bytes are
// what the stream would give. Anything else (attachments, raw or stream content) keeps build().
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Options as MailComposerOptions } from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import * as base64 from 'nodemailer/lib/base64';
import * as qp from 'nodemailer/lib/qp';
import type { ComposeSpec } from './send-request.js';
import { writeSimpleMessage } from './simple-mime.js';

let placeholders = 0;
const placeholderMessageId = () => `<composed-${++placeholders}@sesame.invalid>`;
const rfc2822Now = () => new Date().toUTCString().replace(/GMT/, '+0000');

export interface ComposedContent {
  subject: string;
  text?: string;
  html?: string;
}

export async function composeMessage(spec: ComposeSpec, content: ComposedContent): Promise<Buffer> {
  // Message-ID and Date are replaced when the message is committed (pipeline.ts stampMessage).
  const simple = writeSimpleMessage(spec, content, placeholderMessageId(), rfc2822Now());
  if (simple) return simple;
  const root = new MailComposer(composerOptions(spec, content)).compile();
  if (spec.attachments.length === 0) {
    const fast = buildSync(root);
    if (fast) return fast;
  }
  return root.build();
}

/** MailComposer's options for a composed send (exported for the equivalence test). */
export function composerOptions(spec: ComposeSpec, content: ComposedContent): MailComposerOptions {
  return {
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
  };
}

/** The parts of MimeNode's internals the synchronous path relies on (see its stream()). */
interface NodeInternals {
  _raw?: unknown;
  _transforms?: unknown[];
  _processFuncs?: unknown[];
  newline?: string;
}

/**
 * Serializes a tree of in-memory string/Buffer parts exactly as MimeNode.build() would, or returns
 * undefined when the tree holds something only the stream pipeline handles.
 */
export function buildSync(root: MimeNode): Buffer | undefined {
  const r = root as unknown as NodeInternals;
  if (r._transforms?.length || r._processFuncs?.length || r.newline) return undefined;
  const out: (string | Buffer)[] = [];
  if (!writeNode(root, out)) return undefined;
  const parts = out.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p));
  const msg = Buffer.concat(parts);
  // LastNewline: build() guarantees a terminating line break.
  const last = msg.length ? msg[msg.length - 1] : undefined;
  if (last === 0x0a) return msg;
  return Buffer.concat([msg, Buffer.from(last === 0x0d ? '\n' : '\r\n')]);
}

function writeNode(node: MimeNode, out: (string | Buffer)[]): boolean {
  if ((node as unknown as NodeInternals)._raw) return false;
  const body = node.content;
  if (
    body !== undefined &&
    body !== null &&
    body !== '' &&
    typeof body !== 'string' &&
    !Buffer.isBuffer(body)
  )
    return false;
  // Compute before buildHeaders(), like stream() does; buildHeaders() also sets multipart/boundary.
  const encoding = node.getTransferEncoding();
  out.push(node.buildHeaders() + '\r\n\r\n');
  if (body) {
    if (encoding === 'base64') out.push(base64.wrap(base64.encode(body), 76));
    else if (encoding === 'quoted-printable') out.push(qp.wrap(qp.encode(body), 76));
    else out.push(body);
  }
  if (node.multipart) {
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) {
      out.push((i > 0 ? '\r\n' : '') + '--' + String(node.boundary) + '\r\n');
      if (!writeNode(children[i]!, out)) return false;
    }
    out.push('\r\n--' + String(node.boundary) + '--\r\n');
  }
  return true;
}
