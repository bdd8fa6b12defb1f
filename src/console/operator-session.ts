// Operator sign-in for the console: whoever holds the operator token (SESAME_OPERATOR_TOKEN, or the
// one generated into the data folder) gets temporary credentials of an account's root, issued by the
// same code as STS GetSessionToken. The console then signs every call with them, so IAM still
// decides; the token itself never reaches any other API.
import { requestSource, type VpcEndpoint } from '../api/vpc-endpoint.js';
import { vpcEndpointOf } from '../http/vpc-listener.js';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import type { CallContext } from '../api/operation.js';
import type { Config } from '../config/config.js';
import { accountExists } from '../accounts/accounts.js';
import { auditSource, callAuditEvent, recordAuditEvent } from '../audit/audit-log.js';
import { AwsError, toAwsError } from '../errors/aws-error.js';
import { badRequest } from '../api/query-params.js';
import { rootArn } from '../iam/arns.js';
import { clientAddress } from '../http/client-address.js';
import { rootCaller } from '../iam/principals.js';
import { restJsonErrorFor } from '../http/protocol-surface.js';
import { issueSession } from '../sts/credentials.js';
import { signInThrottle, type SignInThrottle } from './sign-in-throttle.js';
import { OPERATOR_SESSION_NAME } from '../iam/session-token-guard.js';

export const OPERATOR_SESSION_PATH = '/sesame/console/operator-session';
export const OPERATOR_TOKEN_FILE = 'operator-token';
/** Root sessions last at most an hour (as GetSessionToken cuts them). */
export const OPERATOR_SESSION_SECONDS = 3600;
const EVENT_SOURCE = 'sesame';
const EVENT_NAME = 'CreateOperatorSession';

export interface OperatorToken {
  token: string;
  /** The file it was read from or generated into; undefined when it came from the environment. */
  file?: string;
  generated: boolean;
}

/** SESAME_OPERATOR_TOKEN, else `<dataDir>/operator-token` (created on first start, mode 0600). */
export function loadOrCreateOperatorToken(config: Pick<Config, 'dataDir' | 'operatorToken'>): OperatorToken {
  if (config.operatorToken) return { token: config.operatorToken, generated: false };
  const file = join(config.dataDir, OPERATOR_TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length < 16) throw new Error(`${file} holds no usable operator token (16+ characters)`);
    return { token, file, generated: false };
  }
  const token = randomBytes(32).toString('base64url');
  // 'wx': two processes starting on one data folder never overwrite each other's token.
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600); // the umask may have widened it
  return { token, file, generated: true };
}

/** Constant-time: both sides are hashed to one length first, so neither length nor prefix leaks. */
export function operatorTokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined || presented === '') return false;
  const h = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(expected), h(presented));
}

export interface OperatorSessionRequest {
  authorization?: string;
  body: Buffer;
  peerAddress?: string;
  headers: Record<string, string | string[] | undefined>;
  tls: boolean;
  endpoint?: VpcEndpoint;
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const missingToken = () =>
  new AwsError(
    'MissingAuthenticationTokenException',
    'Missing operator token: send it as "Authorization: Bearer <token>".',
    401,
  );
const badToken = () => new AwsError('AccessDeniedException', 'The operator token is not valid.', 403);

const tooManyFailures = () =>
  new AwsError(
    'TooManyRequestsException',
    'Too many failed operator sign-ins from your address: try again in a minute.',
    429,
  );

const throttles = new WeakMap<App, SignInThrottle>();
function throttleOf(app: App): SignInThrottle {
  let t = throttles.get(app);
  if (!t) throttles.set(app, (t = signInThrottle(app.config.operatorSignInFailuresPerMinute)));
  return t;
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

function parseBody(body: Buffer, defaultAccount: string, defaultRegion: string, regions: readonly string[]) {
  let input: unknown = {};
  const text = body.toString('utf8').trim();
  if (text !== '') {
    try {
      input = JSON.parse(text);
    } catch {
      throw badRequest('The request body is not valid JSON.');
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw badRequest('The request body must be a JSON object.');
  const { AccountId, Region } = input as { AccountId?: unknown; Region?: unknown };
  if (AccountId !== undefined && (typeof AccountId !== 'string' || !/^\d{12}$/.test(AccountId)))
    throw badRequest('AccountId must be 12 digits.');
  if (Region !== undefined && (typeof Region !== 'string' || !regions.includes(Region)))
    throw badRequest('Region is not a region this server serves (SESAME_REGIONS).');
  return { accountId: AccountId ?? defaultAccount, region: Region ?? defaultRegion };
}

/** The whole exchange, independent of the HTTP framework (tested directly). */
export async function createOperatorSession(
  app: App,
  token: string,
  req: OperatorSessionRequest,
  now = new Date(),
): Promise<WireAnswer> {
  const requestId = randomUUID();
  const addr = clientAddress(req.peerAddress, req.headers, req.tls, app.proxies);
  const ua = req.headers['user-agent'];
  const source = requestSource(addr.ip, addr.secureTransport, Array.isArray(ua) ? ua[0] : ua, req.endpoint);
  let accountId: string | undefined;
  let region = app.config.region;
  let authenticated = false;
  const throttle = throttleOf(app);
  const peer = source.ip ?? 'unknown';
  try {
    if (throttle.blocked(peer, now.getTime())) throw tooManyFailures();
    const presented = bearer(req.authorization);
    if (presented === undefined || !operatorTokenMatches(token, presented)) {
      throttle.failed(peer, now.getTime());
      throw presented === undefined ? missingToken() : badToken();
    }
    authenticated = true;
    const input = parseBody(req.body, app.config.accountId, app.config.region, app.config.regions);
    region = input.region;
    if (!(await accountExists(app.store, input.accountId)))
      throw new AwsError('NotFoundException', `Account ${input.accountId} does not exist.`, 404);
    accountId = input.accountId;
    const ctx = operatorContext(app, accountId, region, now, requestId, source);
    const credentials = await issueSession(
      ctx,
      {
        account_id: accountId,
        kind: 'user',
        role_id: null,
        role_arn: null,
        user_id: null, // no user: the session resolves to the account's root (as GetSessionToken's)
        session_name: OPERATOR_SESSION_NAME, // marks it: only an operator session decides production access
        session_policy: null,
        session_policy_arns: null,
        session_tags: '[]',
        transitive_tag_keys: '[]',
        source_identity: null,
      },
      OPERATOR_SESSION_SECONDS,
    );
    // The issued key is recorded, so its later calls can be traced back to this sign-in.
    await audit(app, {
      ...callAuditEvent(ctx, EVENT_SOURCE, EVENT_NAME),
      accessKeyId: credentials.AccessKeyId,
    });
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'x-amzn-RequestId': requestId,
      },
      body: JSON.stringify({
        Operator: true,
        AccountId: accountId,
        Region: region,
        Arn: ctx.caller.principal.arn,
        Credentials: { ...credentials, Expiration: credentials.Expiration.toISOString() },
      }),
    };
  } catch (e) {
    const err = toAwsError(e);
    if (err.code === 'InternalFailure') app.log.error({ err: e, requestId }, 'operator session failed');
    await audit(app, {
      time: now,
      // Failed tokens are unauthenticated; a known account sees the failures of its own sign-ins.
      accountId,
      region,
      principalArn: accountId ? rootArn(accountId) : undefined,
      ...auditSource(source),
      userAgent: source.userAgent,
      eventSource: EVENT_SOURCE,
      eventName: EVENT_NAME,
      actions: [],
      resources: [],
      decision: authenticated ? 'NotEvaluated' : 'Unauthenticated',
      errorCode: err.code,
      errorMessage: err.message,
      requestId,
    });
    // The REST-JSON API's error shape, with its names for common errors (InternalServiceErrorException…).
    const res = restJsonErrorFor(err, requestId);
    return {
      status: res.status,
      headers: { ...res.headers, 'cache-control': 'no-store' },
      body: res.body.toString(),
    };
  }
}

function operatorContext(
  app: App,
  accountId: string,
  region: string,
  now: Date,
  requestId: string,
  source: CallContext['source'],
): CallContext {
  const caller = rootCaller(accountId, 'operator-token');
  return {
    requestId,
    region,
    now,
    caller,
    source,
    store: app.store,
    config: app.config,
    audit: { actions: [`${EVENT_SOURCE}:${EVENT_NAME}`], resources: [caller.principal.arn] },
  };
}

async function audit(app: App, e: Parameters<typeof recordAuditEvent>[1]): Promise<void> {
  try {
    await recordAuditEvent(app.store, e);
  } catch (err) {
    app.log.error({ err, requestId: e.requestId }, 'audit record failed');
  }
}

/** Where the token is kept (never the token itself), for the log. */
export function operatorTokenNotice(op: OperatorToken): string {
  return op.file
    ? `Console operator token: ${op.generated ? 'created in' : 'read from'} ${op.file}`
    : 'Console operator token: from SESAME_OPERATOR_TOKEN';
}

/**
 * POST /sesame/console/operator-session. Reads (or creates) the token once, at registration, and
 * logs only where it is kept, never the token.
 */
export function registerOperatorSessionRoute(app: App, server: FastifyInstance): void {
  const op = loadOrCreateOperatorToken(app.config);
  // A node of several workers: its primary made the token and said where, once (src/cluster/).
  if (app.config.workers > 1) app.log.debug(operatorTokenNotice(op));
  else app.log.info(operatorTokenNotice(op));
  server.post(OPERATOR_SESSION_PATH, async (request, reply) => {
    const auth = request.headers.authorization;
    const res = await createOperatorSession(app, op.token, {
      authorization: Array.isArray(auth) ? auth[0] : auth,
      body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      peerAddress: request.raw.socket.remoteAddress,
      headers: request.raw.headersDistinct,
      tls:
        'encrypted' in request.raw.socket &&
        Boolean((request.raw.socket as { encrypted?: boolean }).encrypted),
      endpoint: vpcEndpointOf(request.raw.socket),
    });
    return reply.code(res.status).headers(res.headers).send(res.body);
  });
}
