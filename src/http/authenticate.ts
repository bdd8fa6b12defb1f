// Who is calling: the SigV4 check (auth/sigv4) fed by the IAM principal cache. The store keeps
// only a hash of each session token, so the presented token is checked here and handed to the
// verifier as "the" token when it matches.
import type { App } from '../app.js';
import type { Caller } from '../api/operation.js';
import {
  prepareSigV4,
  type IncomingSignedRequest,
  type PreparedSignature,
  type StoredKey,
  type VerifyResult,
} from '../auth/sigv4/verify.js';
import { AwsError, serviceUnavailable } from '../errors/aws-error.js';
import { isStoreUnavailable } from '../store/faults.js';
import { sessionTokenMatches } from '../iam/secrets.js';
import { recordAccessKeyUse } from '../iam/key-usage.js';
import { percentDecode } from '../auth/sigv4/uri-encode.js';
import { payloadHash } from '../auth/sigv4/payload-hash.js';
import { acceptsSigV4a, inRegionSet } from './sigv4a-endpoints.js';

const MISMATCH = '\u0000no-such-token';

function presentedToken(req: Omit<IncomingSignedRequest, 'body'>): string | undefined {
  const h = req.headers['x-amz-security-token'];
  if (h !== undefined) return Array.isArray(h) ? h[0] : h;
  for (const part of req.rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === 'X-Amz-Security-Token')
      // Never throws: a malformed escape stays literal and simply fails the token comparison.
      return percentDecode(part.slice(eq + 1).replace(/\+/g, '%20'));
  }
  return undefined;
}

/**
 * The region a SigV4a call runs in: the server's own when the region set names it (`*` does),
 * else the set's first region (a send through a multi-region endpoint picks its region itself).
 */
function regionOf(regionSet: readonly string[], serverRegion: string): string {
  if (inRegionSet(serverRegion, regionSet)) return serverRegion;
  return regionSet.find((r) => !r.includes('*')) ?? serverRegion;
}

/**
 * The emulator profile checks no signature, but a SigV4a call still runs in a region this server
 * serves: the first entry of its region set (`*`, `us-*`, or a list) that it serves, a wildcard
 * standing for the server's own region; undefined when the set names none.
 */
export function regionOfSet(
  regionSet: string,
  serverRegion: string,
  regions: readonly string[],
): string | undefined {
  for (const entry of regionSet.split(',').map((e) => e.trim())) {
    if (!/^[a-z0-9*-]+$/.test(entry)) continue;
    if (!entry.includes('*')) {
      if (regions.includes(entry)) return entry;
    } else if (inRegionSet(serverRegion, [entry])) return serverRegion;
  }
  return undefined;
}

export type Authenticated =
  | { ok: true; caller: Caller; region: string; service: string; regionSet?: string[] }
  | { ok: false; error: AwsError };

export async function authenticate(
  app: App,
  req: IncomingSignedRequest,
  now: Date,
  expectedService?: string,
): Promise<Authenticated> {
  const prepared = await prepareAuthentication(app, req, now, expectedService);
  return prepared.ok ? prepared.finish(payloadHash(req.body)) : prepared;
}

/** What is known before the body: refused already, or waiting for the payload hash. */
export type PreparedAuthentication =
  | { ok: false; error: AwsError }
  | { ok: true; declaredBodyHash: string | undefined; finish(payloadHash: string): Authenticated };

/**
 * Everything about the signature but the payload (shape, scope, region, time, the key and its
 * session token): the HTTP layer refuses a request on it before buffering its body.
 */
export async function prepareAuthentication(
  app: App,
  req: Omit<IncomingSignedRequest, 'body'>,
  now: Date,
  expectedService?: string,
): Promise<PreparedAuthentication> {
  let caller: Caller | undefined;
  const prepared: PreparedSignature | undefined = await prepareSigV4(req, {
    now,
    expectedService,
    // SESAME_REGIONS: a scope naming any other region is refused before its key is looked up.
    isValidRegion: (region) => app.config.regions.includes(region),
    acceptSigV4a: () => acceptsSigV4a(expectedService, req.method, req.rawPath),
    lookupKey: async (accessKeyId): Promise<StoredKey | undefined> => {
      const resolved = await app.principals.resolve(accessKeyId, now);
      if (!resolved) return undefined;
      caller = resolved.caller;
      const { key } = resolved;
      const stored: StoredKey = {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        status: key.status === 'Inactive' ? 'Inactive' : 'Active',
      };
      if (key.sessionTokenHash !== undefined) {
        const token = presentedToken(req);
        stored.sessionToken =
          token !== undefined && sessionTokenMatches(key.sessionTokenHash, token) ? token : MISMATCH;
      }
      if (key.expiresAt !== undefined) stored.expiresAt = key.expiresAt.getTime();
      return stored;
    },
  }).catch((e: unknown) => {
    // The key could not be looked up because the store is away: AWS's retryable answer, as every
    // call past authentication gets (errors/aws-error.ts), not the last defence's bare 500.
    if (isStoreUnavailable(e)) return undefined;
    throw e;
  });
  if (!prepared) return { ok: false, error: serviceUnavailable() };
  if (!prepared.ok) return { ok: false, error: prepared.error };
  const who = caller;
  if (!who)
    return {
      ok: false,
      error: new AwsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      ),
    };
  return {
    ok: true,
    declaredBodyHash: prepared.declaredBodyHash,
    finish(hash: string): Authenticated {
      const result: VerifyResult = prepared.finish(hash);
      if (!result.ok) return { ok: false, error: result.error };
      const { regionSet } = result;
      const region = regionSet ? regionOf(regionSet, app.config.region) : result.scope.region;
      // Feeds GetAccessKeyLastUsed; written at most once a minute per key, never fails the call.
      recordAccessKeyUse(app.store, who.accessKeyId, result.scope.service, region, now).catch((e: unknown) =>
        app.log.warn({ err: e }, 'recording access key use failed'),
      );
      return {
        ok: true,
        caller: who,
        region,
        service: result.scope.service,
        ...(regionSet ? { regionSet } : {}),
      };
    },
  };
}
