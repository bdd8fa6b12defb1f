// SMTP AUTH as SES does it (docs/spec/ses.md §6.2, §6.3): user name = access key id, password = the SMTP
// password derived from that key's secret for this listener's region (v4) or the legacy v2 form.
// Only long-term keys (IAM users, account root) sign in; every refusal reads the same.
import type { Caller } from '../api/operation.js';
import { verifySmtpPassword } from '../auth/smtp-password.js';
import { REPLIES, type SmtpReply } from './replies.js';

export interface ResolvedKey {
  key: { secretAccessKey: string; status: string; sessionToken?: string };
  caller: Caller;
}

/** Looks an access key up (the lead wires the IAM resolver); undefined when there is no such key. */
export type ResolveKey = (accessKeyId: string, now: Date) => Promise<ResolvedKey | undefined>;

export type SmtpAuthOutcome =
  { kind: 'authenticated'; caller: Caller } | { kind: 'refused'; reply: SmtpReply };

export interface SmtpCredentials {
  username: string;
  password: string;
}

const refused = (reply: SmtpReply): SmtpAuthOutcome => ({ kind: 'refused', reply });

/** STS keys (ASIA…, or carrying a session token) cannot be SMTP credentials (docs/spec/ses.md §6.2). */
function isTemporary(accessKeyId: string, resolved: ResolvedKey): boolean {
  return (
    resolved.caller.temporary || resolved.key.sessionToken !== undefined || accessKeyId.startsWith('ASIA')
  );
}

export async function authenticateSmtp(
  resolveKey: ResolveKey,
  credentials: SmtpCredentials,
  region: string,
  now: Date,
): Promise<SmtpAuthOutcome> {
  const { username, password } = credentials;
  if (!/^[A-Z0-9]{16,128}$/.test(username)) return refused(REPLIES.authInvalid);
  let resolved: ResolvedKey | undefined;
  try {
    resolved = await resolveKey(username, now);
  } catch {
    // The key store could not answer: the client may retry (4xx), as with SES.
    return refused(REPLIES.authTemporaryFailure);
  }
  if (!resolved) return refused(REPLIES.authInvalid);
  if (resolved.key.status !== 'Active') return refused(REPLIES.authInvalid);
  if (isTemporary(username, resolved)) return refused(REPLIES.authInvalid);
  if (!verifySmtpPassword(password, resolved.key.secretAccessKey, region))
    return refused(REPLIES.authInvalid);
  return { kind: 'authenticated', caller: resolved.caller };
}
