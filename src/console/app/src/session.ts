// The signed-in key lives in sessionStorage only (gone when the tab closes), never in localStorage.
// An operator sign-in trades the operator token for an account root's temporary credentials: only
// those are kept, never the token.
import { readJson } from './api.js';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  /** Temporary credentials: when they stop working (ISO 8601). */
  expiration?: string;
  /** Signed in with the operator token (may decide production access). */
  operator?: boolean;
}

const KEY = 'sesame.console.session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Session;
    if (s.expiration && Date.parse(s.expiration) <= Date.now()) {
      clearSession(); // expired: sign in again rather than fail every call
      return undefined;
    }
    return s.accessKeyId && s.secretAccessKey && s.region ? s : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

interface OperatorSessionAnswer {
  Operator: boolean;
  AccountId: string;
  Region: string;
  Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
}

/** POST /sesame/console/operator-session: the token buys one hour as the account's root. */
export async function operatorSession(token: string, accountId: string, region: string): Promise<Session> {
  const res = await fetch(new URL('/sesame/console/operator-session', window.location.origin), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...(accountId ? { AccountId: accountId } : {}), Region: region }),
    cache: 'no-store',
  });
  const body = await readJson<Partial<OperatorSessionAnswer>>(res);
  if (!body.Credentials) throw new Error(`${res.status}: the answer has no credentials.`);
  return {
    accessKeyId: body.Credentials.AccessKeyId,
    secretAccessKey: body.Credentials.SecretAccessKey,
    sessionToken: body.Credentials.SessionToken,
    region: body.Region ?? region,
    expiration: body.Credentials.Expiration,
    ...(body.Operator ? { operator: true } : {}),
  };
}
