// Issuing temporary credentials (ASIA…): the secret is stored sealed and the session token only as
// its hash (iam/secrets.ts), so a leaked database yields no usable credentials.
import { randomBytes } from 'node:crypto';
import type { CallContext } from '../api/operation.js';
import { newAccessKeyId, newSecretAccessKey } from '../iam/ids.js';
import { hashSessionToken, secretBoxOf } from '../iam/secrets.js';
import type { IamSessionRow } from '../store/schema/iam.js';

export interface Credentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

/** Expired sessions are kept this long so callers get ExpiredToken rather than an unknown key. */
const EXPIRED_RETENTION_MS = 24 * 3600 * 1000;

/**
 * A long opaque token shaped like AWS's (base64, several hundred characters); it carries nothing:
 * the server looks the session up by access key id and compares the hash.
 */
export function newSessionToken(): string {
  return 'IQoJb3JpZ2luX2Vj' + randomBytes(360).toString('base64');
}

export type SessionFields = Omit<
  IamSessionRow,
  'access_key_id' | 'secret_sealed' | 'session_token_hash' | 'created_at' | 'expires_at'
>;

/** Stores a new session valid for `durationSeconds` from ctx.now and returns its credentials. */
export async function issueSession(
  ctx: CallContext,
  fields: SessionFields,
  durationSeconds: number,
): Promise<Credentials> {
  const box = secretBoxOf(ctx.store);
  const accessKeyId = newAccessKeyId('ASIA');
  const secretAccessKey = newSecretAccessKey();
  const sessionToken = newSessionToken();
  const created = ctx.now.getTime();
  // AWS reports Expiration in whole seconds.
  const expires = Math.floor(created / 1000) * 1000 + durationSeconds * 1000;
  const db = ctx.store.db;
  await db
    .deleteFrom('iam_sessions')
    .where('expires_at', '<', created - EXPIRED_RETENTION_MS)
    .execute();
  await db
    .insertInto('iam_sessions')
    .values({
      ...fields,
      access_key_id: accessKeyId,
      secret_sealed: box.seal(secretAccessKey),
      session_token_hash: hashSessionToken(sessionToken),
      created_at: created,
      expires_at: expires,
    })
    .execute();
  return {
    AccessKeyId: accessKeyId,
    SecretAccessKey: secretAccessKey,
    SessionToken: sessionToken,
    Expiration: new Date(expires),
  };
}

/** The session row behind the caller's temporary credentials, if any. */
export async function callerSession(ctx: CallContext): Promise<IamSessionRow | undefined> {
  if (!ctx.caller.temporary) return undefined;
  return ctx.store.db
    .selectFrom('iam_sessions')
    .selectAll()
    .where('access_key_id', '=', ctx.caller.accessKeyId)
    .executeTakeFirst();
}
