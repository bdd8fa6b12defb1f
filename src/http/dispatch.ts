// One AWS API request, end to end: authenticate (SigV4), route by the credential scope's service
// and the protocol, parse the input from the model, authorize through authz/, run the operation,
// serialize the answer or the error in the protocol's AWS shape, and leave an audit record.
import { randomUUID } from 'node:crypto';
import type { App } from '../app.js';
import type { CallContext, Caller, Operation, RequestSource } from '../api/operation.js';
import { requestSource, type VpcEndpoint } from '../api/vpc-endpoint.js';
import { parseCredentialScope } from '../auth/sigv4/verify.js';
import { signatureDoesNotMatch } from '../auth/sigv4/errors.js';
import { authenticate, regionOfSet, type Authenticated } from './authenticate.js';
import { authorizeChecks } from '../authz/index.js';
import { auditSource, insertAuditEvent, recordAuditEvent, type AuditEvent } from '../audit/audit-log.js';
import { AwsError, toAwsError } from '../errors/aws-error.js';
import { clientAddress } from './client-address.js';
import { apiFor, restJsonErrorFor, type ApiSurface, type WireResponse } from './protocol-surface.js';
import { recordAccess } from './access-log.js';
import { sigV4aWithoutEndpoint } from './sigv4a-endpoints.js';

export interface ApiRequest {
  method: string;
  rawUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  peerAddress?: string;
  tls: boolean;
  /** Set when the request came in on a VPC endpoint listener (http/vpc-listener.ts). */
  endpoint?: VpcEndpoint;
  /** Aborted when the client has gone away before its answer. */
  signal?: AbortSignal;
}

const EVENT_SOURCES: Record<string, string> = {
  ses: 'ses.amazonaws.com',
  iam: 'iam.amazonaws.com',
  sts: 'sts.amazonaws.com',
};

/**
 * `authenticated`: the HTTP layer's answer when it checked the signature itself while reading the
 * body (direct-api.ts); otherwise the request is authenticated here, body and all.
 */
export async function handleApiRequest(
  app: App,
  req: ApiRequest,
  authenticated?: Authenticated,
): Promise<WireResponse> {
  const started = performance.now();
  const requestId = randomUUID();
  const now = new Date();
  const q = req.rawUrl.indexOf('?');
  const rawPath = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : req.rawUrl.slice(q + 1);
  const addr = clientAddress(req.peerAddress, req.headers, req.tls, app.proxies);
  const userAgent = firstHeader(req.headers['user-agent']);
  const source: RequestSource = requestSource(addr.ip, addr.secureTransport, userAgent, req.endpoint);

  // The service is the credential scope's; before we know it, answer in the shape the path implies.
  const scope = parseCredentialScope({ rawQuery, headers: req.headers });
  let surface: ApiSurface = apiFor(
    app,
    scope?.service ?? (rawPath.startsWith('/v2/') ? 'ses' : 'sts'),
    rawPath,
  );
  const audit = { actions: [] as string[], resources: [] as string[] } as CallContext['audit'];
  let caller: Caller | undefined;
  let operationName = 'Unknown';
  let region = scope?.region ?? app.config.region;
  let signingRegionSet: string[] | undefined;
  const answered = (response: WireResponse): WireResponse => {
    const principal = caller?.principal.arn;
    const operation = operationName;
    recordAccess(app.log, {
      method: req.method,
      path: rawPath,
      operation,
      status: response.status,
      started,
      requestId,
      principal,
      // The claimed service is the client's choice, unauthenticated: named only when it exists,
      // so that no request can add a metrics series (nor grow the process's memory) of its own.
      service: surface.known ? surface.service : 'unknown',
    });
    return response;
  };
  try {
    // 1. Authenticate.
    if (app.config.profile === 'emulator') {
      // No signature is checked, but the region still has to be one this server has.
      if (scope) {
        const served = scope.v4a
          ? regionOfSet(scope.region, app.config.region, app.config.regions)
          : app.config.regions.includes(scope.region)
            ? scope.region
            : undefined;
        if (served === undefined) throw invalidRegion(scope.region);
        region = served;
      }
      caller = app.principals.emulatorRoot(scope?.accessKeyId);
    } else {
      const auth =
        authenticated ??
        (await authenticate(
          app,
          { method: req.method, rawPath, rawQuery, headers: req.headers, body: req.body },
          now,
          scope?.service,
        ));
      if (!auth.ok) throw auth.error;
      caller = auth.caller;
      region = auth.region;
      signingRegionSet = auth.regionSet;
      surface = apiFor(app, auth.service, rawPath);
    }
    if (!surface.known)
      throw new AwsError('InvalidAction', 'The requested service is not offered by this endpoint.', 400);

    // 2. Route and parse.
    const parsed = surface.parse(req.method, rawPath, rawQuery, req.headers, req.body);
    operationName = parsed.operation;
    if (signingRegionSet) {
      const refused = sigV4aWithoutEndpoint(surface.service, parsed.input, req.headers.authorization);
      if (refused) throw refused;
    }
    const op: Operation | undefined = surface.operations[parsed.operation];
    if (!op) throw surface.notImplemented(parsed.operation);

    const ctx: CallContext = {
      requestId,
      region,
      ...(signingRegionSet ? { signingRegionSet } : {}),
      now,
      caller,
      source,
      apiVersion: surface.apiVersion,
      store: app.store,
      config: app.config,
      audit,
      // Read when a call asks for it: direct-api.ts makes the signal only then.
      get signal() {
        return req.signal;
      },
    };
    const auditInput = { now, caller, region, source, surface, operationName, audit, requestId };
    audit.writeSuccess = (tx) => insertAuditEvent(tx, auditEvent(auditInput));
    // 3. Authorize (operations without `authorize` authorize themselves, e.g. the send path).
    if (op.authorize) authorizeChecks(ctx, await op.authorize(ctx, parsed.input), 'generic');
    // 4. Run and answer.
    const output = await op.handle(ctx, parsed.input);
    const response = surface.serialize(parsed.operation, output ?? {}, requestId);
    if (!audit.recorded) await audited(app, auditInput);
    return answered(response);
  } catch (e) {
    const err = toAwsError(e);
    if (err.code === 'InternalFailure')
      app.log.error({ err: e, requestId, operation: operationName }, 'internal failure');
    const response =
      surface.protocol === 'rest-json'
        ? restJsonErrorFor(err, requestId)
        : surface.serializeError(err, requestId);
    // A send's record was committed with its outbox rows: a later failure changes nothing stored.
    if (!audit.recorded)
      await audited(app, {
        now,
        caller,
        region,
        source,
        surface,
        operationName,
        audit,
        requestId,
        claimedKeyId: scope?.accessKeyId,
        error: err,
      });
    return answered(response);
  }
}

interface AuditInput {
  now: Date;
  caller?: Caller;
  region: string;
  source: RequestSource;
  surface: ApiSurface;
  operationName: string;
  audit: CallContext['audit'];
  requestId: string;
  /** The key id the request claimed (recorded even when authentication failed). */
  claimedKeyId?: string;
  error?: AwsError;
}

function auditEvent(a: AuditInput): AuditEvent {
  const decision = a.caller
    ? (a.audit.decision ?? (a.error ? 'NotEvaluated' : 'Allowed'))
    : 'Unauthenticated';
  return {
    time: a.now,
    accountId: a.caller?.accountId,
    region: a.region,
    principalArn: a.caller?.principal.arn,
    accessKeyId: a.caller?.accessKeyId ?? a.claimedKeyId,
    ...auditSource(a.source),
    userAgent: a.source.userAgent,
    eventSource: EVENT_SOURCES[a.surface.service] ?? a.surface.service,
    eventName: a.operationName,
    actions: a.audit.actions,
    resources: a.audit.resources,
    decision,
    explanation: a.audit.explanation,
    requestContext: a.audit.context,
    errorCode: a.error?.code,
    errorMessage: a.error?.message,
    requestId: a.requestId,
  };
}

async function audited(app: App, a: AuditInput): Promise<void> {
  try {
    await recordAuditEvent(app.store, auditEvent(a));
  } catch (e) {
    app.log.error({ err: e, requestId: a.requestId }, 'audit record failed');
  }
}

const invalidRegion = (region: string): AwsError =>
  signatureDoesNotMatch(`Credential should be scoped to a valid region, not '${region}'.`);

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
