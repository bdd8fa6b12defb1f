// Real SMTP clients delivering to a receiver as MTAs would (no AUTH): Python's smtplib, swaks and
// nodemailer, each reporting the replies it got.
import { execFile } from 'node:child_process';
import nodemailer from 'nodemailer';

export interface SmtpOutcome {
  ok: boolean;
  /** The final reply (code and text) of DATA, or of the command that refused. */
  code?: number;
  text?: string;
  /** Per refused recipient: [code, text]. */
  refused?: Record<string, [number, string]>;
}

const SMTPLIB = `
import json, smtplib, ssl, sys
port, mail_from, rcpts, tls = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3]), sys.argv[4] == 'tls'
msg = sys.stdin.buffer.read()
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
try:
    s = smtplib.SMTP('127.0.0.1', port, local_hostname='mx-client.sender.example', timeout=20)
    s.ehlo()
    if tls:
        s.starttls(context=ctx)
        s.ehlo()
    s.mail(mail_from)
    refused = {}
    for r in rcpts:
        code, text = s.rcpt(r)
        if code >= 400:
            refused[r] = [code, text.decode()]
    if len(refused) == len(rcpts):
        print(json.dumps({'ok': False, 'refused': refused})); s.quit(); sys.exit(0)
    code, text = s.data(msg)
    s.quit()
    print(json.dumps({'ok': code == 250, 'code': code, 'text': text.decode(), 'refused': refused}))
except smtplib.SMTPResponseException as e:
    print(json.dumps({'ok': False, 'code': e.smtp_code, 'text': e.smtp_error.decode()}))
`;

/** Python's smtplib: EHLO as mx-client.sender.example, optional STARTTLS, then MAIL, RCPT…, DATA. */
export function smtplibSend(
  port: number,
  o: { from: string; to: string[]; raw: Buffer | string; tls?: boolean },
): Promise<SmtpOutcome> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'python3',
      ['-c', SMTPLIB, String(port), o.from, JSON.stringify(o.to), o.tls ? 'tls' : 'plain'],
      { timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`smtplib failed: ${stderr || err.message}`));
        resolve(JSON.parse(stdout.trim()) as SmtpOutcome);
      },
    );
    child.stdin?.end(o.raw);
  });
}

/** swaks: one message, optionally over STARTTLS; resolves with its exit code and transcript. */
export function swaksSend(
  port: number,
  o: { from: string; to: string; header?: string[]; body?: string; tls?: boolean },
): Promise<{ code: number; output: string }> {
  const args = [
    '--server',
    `127.0.0.1:${port}`,
    '--from',
    o.from,
    '--to',
    o.to,
    '--helo',
    'swaks.sender.example',
  ];
  for (const h of o.header ?? []) args.push('--header', h);
  if (o.body) args.push('--body', o.body);
  if (o.tls) args.push('--tls');
  return new Promise((resolve) => {
    execFile('swaks', args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, output: `${stdout}${stderr}` });
    });
  });
}

/** nodemailer as an MTA would send (no AUTH), over STARTTLS when offered. */
export async function nodemailerSend(
  port: number,
  o: { from: string; to: string[]; subject: string; text: string; headers?: Record<string, string> },
): Promise<{ response: string; rejected: string[] }> {
  const t = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    name: 'nodemailer.sender.example',
    tls: { rejectUnauthorized: false },
  });
  try {
    const info = await t.sendMail({
      from: o.from,
      to: o.to,
      subject: o.subject,
      text: o.text,
      headers: o.headers ?? {},
    });
    return { response: info.response, rejected: info.rejected.map(String) };
  } finally {
    t.close();
  }
}
