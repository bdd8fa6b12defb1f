// A RequestResponse Lambda invocation: the event POSTed to the function's URL, whose answer is
// the function's return value. `{"disposition": "STOP_RULE" | "STOP_RULE_SET" | "CONTINUE"}`
// steers the mail flow; no answer, another value or a body that is not JSON continue (SES's rule).
// The call is signed like event publishing (`x-sesame-signature`) and bounded by SES's 30 seconds.
import { SIGNATURE_HEADER, signBody } from '../delivery/publishing/index.js';

export type Disposition = 'STOP_RULE' | 'STOP_RULE_SET' | 'CONTINUE';

export type Invocation =
  | { kind: 'ok'; disposition: Disposition }
  | { kind: 'failed'; detail: string }
  | { kind: 'retry'; detail: string };

/** SES's limit on RequestResponse invocations. */
export const REQUEST_RESPONSE_TIMEOUT_MS = 30_000;

export function dispositionOf(body: string): Disposition {
  try {
    const v = JSON.parse(body) as { disposition?: unknown } | null;
    const d = v && typeof v === 'object' ? v.disposition : undefined;
    return d === 'STOP_RULE' || d === 'STOP_RULE_SET' ? d : 'CONTINUE';
  } catch {
    return 'CONTINUE';
  }
}

export async function invokeFunction(
  url: string,
  event: object,
  key: Buffer,
  timeoutMs = REQUEST_RESPONSE_TIMEOUT_MS,
): Promise<Invocation> {
  const body = JSON.stringify(event);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-amz-invocation-type': 'RequestResponse',
        [SIGNATURE_HEADER]: signBody(key, body),
        'user-agent': 'Sesame-Receipt-Rules/1.0',
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) return { kind: 'ok', disposition: dispositionOf(text) };
    const detail = `${url} answered HTTP ${res.status}`;
    // A function that refuses the call (4xx) will refuse it again; a fault of its host may pass.
    return res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429
      ? { kind: 'failed', detail }
      : { kind: 'retry', detail };
  } catch (e) {
    const err = e as { name?: string; message?: string; cause?: { code?: string } };
    return {
      kind: 'retry',
      detail: `${url}: ${err.cause?.code ?? err.name ?? ''} ${err.message ?? String(e)}`.trim(),
    };
  }
}
