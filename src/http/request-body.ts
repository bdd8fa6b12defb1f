// Reading an API request's body with its limits: a size limit per request, an idle limit (no byte
// for that long ends the request: a body dripped one byte every 30 s no longer holds 55 MB for
// ever), and for bodies read before the signature could be checked, a byte budget shared by all
// such requests (SESAME_HTTP_UNAUTHENTICATED_BODY_BYTES). Bodies whose hash the client declared
// are hashed as they arrive instead, after the signature was checked against that hash.
import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Bytes held by bodies whose signature is not checked yet, across all requests. */
export interface ByteBudget {
  readonly limit: number;
  used: number;
}

export type BodyOutcome =
  | { kind: 'body'; body: Buffer; sha256?: string; release(): void }
  | { kind: 'too-large' }
  | { kind: 'over-budget' }
  | { kind: 'idle' }
  | { kind: 'gone' };

export interface BodyLimits {
  /** Largest body accepted. */
  limit: number;
  /** Time without a byte after which the request is given up. */
  idleMs: number;
  /** Counted against this budget until release() (unauthenticated bodies). */
  budget?: ByteBudget;
  /** Hash the body as it arrives (bodies checked against a declared hash). */
  hash?: boolean;
}

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    let settled = false;
    const hash: Hash | undefined = limits.hash ? createHash('sha256') : undefined;
    const budget = limits.budget;
    const release = () => {
      if (budget) budget.used -= held;
      held = 0;
    };
    const finish = (outcome: BodyOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.off('data', onData);
      if (outcome.kind !== 'body') {
        chunks.length = 0; // what was read is never used: let it go now
        release();
      }
      resolve(outcome);
    };
    const idle = setTimeout(() => finish({ kind: 'idle' }), limits.idleMs);
    const onData = (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limits.limit) return finish({ kind: 'too-large' });
      if (budget) {
        if (budget.used + chunk.length > budget.limit) return finish({ kind: 'over-budget' });
        budget.used += chunk.length;
        held += chunk.length;
      }
      hash?.update(chunk);
      chunks.push(chunk);
      idle.refresh();
    };
    req.on('data', onData);
    req.once('error', () => finish({ kind: 'gone' }));
    req.once('close', () => finish({ kind: 'gone' }));
    req.once('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      finish(
        hash ? { kind: 'body', body, sha256: hash.digest('hex'), release } : { kind: 'body', body, release },
      );
    });
  });
}
