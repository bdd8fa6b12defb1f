// Which API a request speaks: the SigV4 service picks the model (ses -> SES v1 Query or, under
// /v2/email, SES v2 REST-JSON; iam and sts -> Query), and the model picks the codec. Adapters
// translate only; authorization happens in dispatch via authz/.
import type { App } from '../app.js';
import type { OperationTable } from '../api/operation.js';
import { AwsError } from '../errors/aws-error.js';
import { toRestJsonAuthError } from '../auth/sigv4/errors.js';
import { loadModel, type ServiceModel } from '../protocols/model.js';
import {
  QUERY_CONTENT_TYPE,
  checkParameterCount,
  parseQueryInput,
  resolveQueryAction,
  serializeQueryError,
  serializeQueryOutput,
} from '../protocols/query/index.js';
import {
  matchRestJsonRoute,
  parseRestJsonInput,
  serializeRestJsonError,
  serializeRestJsonOutput,
} from '../protocols/rest-json/index.js';
import { mailboxSurface } from '../mailbox-api/surface.js';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** Text for the AWS protocols; bytes for raw payloads (a captured message's MIME). */
  body: string | Buffer;
}

export interface ApiSurface {
  service: string;
  protocol: 'query' | 'rest-json';
  known: boolean;
  /** `ses:ApiVersion` of calls on this surface. */
  apiVersion?: '1' | '2';
  operations: OperationTable;
  parse(
    method: string,
    rawPath: string,
    rawQuery: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): { operation: string; input: Record<string, unknown> };
  serialize(operation: string, output: object, requestId: string): WireResponse;
  serializeError(err: AwsError, requestId: string): WireResponse;
  notImplemented(operation: string): AwsError;
}

function querySurface(
  model: ServiceModel,
  service: string,
  operations: OperationTable,
  apiVersion?: '1',
): ApiSurface {
  return {
    service,
    protocol: 'query',
    known: true,
    apiVersion,
    operations,
    parse(method, _rawPath, rawQuery, headers, body) {
      // AWS Query takes parameters from the query string (GET) or a form body (POST).
      const type = String(headers['content-type'] ?? '');
      const form = method === 'POST' && (type === '' || type.startsWith('application/x-www-form-urlencoded'));
      checkParameterCount(rawQuery, form ? body : undefined);
      const params = new URLSearchParams(rawQuery);
      if (form) for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
      const operation = resolveQueryAction(model, params);
      // An operation Sesame does not serve says so before its input is judged.
      if (!operations[operation]) throw this.notImplemented(operation);
      return { operation, input: parseQueryInput(model, operation, params) };
    },
    serialize(operation, output, requestId) {
      return {
        status: 200,
        headers: { 'content-type': QUERY_CONTENT_TYPE, 'x-amzn-requestid': requestId },
        body: serializeQueryOutput(model, operation, output, requestId),
      };
    },
    serializeError(err, requestId) {
      return {
        status: err.httpStatus,
        headers: { 'content-type': QUERY_CONTENT_TYPE, 'x-amzn-requestid': requestId },
        body: serializeQueryError(model, err, requestId),
      };
    },
    notImplemented(operation) {
      return new AwsError('InvalidAction', `The action ${operation} is not implemented by Sesame yet.`, 400);
    },
  };
}

function restJsonSurface(model: ServiceModel, operations: OperationTable): ApiSurface {
  return {
    service: 'ses',
    protocol: 'rest-json',
    known: true,
    apiVersion: '2',
    operations,
    parse(method, rawPath, rawQuery, headers, body) {
      const moved = method === 'POST' ? MOVED_LIST_ROUTES[rawPath] : undefined;
      if (moved) return parseMovedListRoute(model, moved, headers, body);
      const route = matchRestJsonRoute(model, method, rawPath);
      if (!route) throw new AwsError('UnknownOperationException', 'Unknown operation', 404);
      if (!operations[route.operation]) throw this.notImplemented(route.operation);
      return {
        operation: route.operation,
        input: parseRestJsonInput(
          model,
          route.operation,
          route.pathParams,
          new URLSearchParams(rawQuery),
          headers,
          body,
        ),
      };
    },
    serialize(operation, output, requestId) {
      const res = serializeRestJsonOutput(model, operation, output);
      return {
        status: res.status,
        headers: { ...res.headers, 'x-amzn-requestid': requestId },
        body: res.body,
      };
    },
    serializeError: restJsonErrorFor,
    notImplemented(operation) {
      return new AwsError(
        'UnknownOperationException',
        `The operation ${operation} is not implemented by Sesame yet.`,
        404,
      );
    },
  };
}

/**
 * SES v2 moved some List operations from `GET ?NextToken&PageSize` to `POST` with a JSON body
 * (the JS SDK since 3.11xx sends these; botocore 1.43 still uses GET). Both are served: the body
 * members feed the same model-driven parser as the query string would. A `Filter` is accepted and
 * not applied yet.
 */
const MOVED_LIST_ROUTES: Record<string, string> = {
  '/v2/email/list-identities': 'ListEmailIdentities',
  '/v2/email/list-configuration-sets': 'ListConfigurationSets',
  '/v2/email/list-export-jobs': 'ListExportJobs',
};

function parseMovedListRoute(
  model: ServiceModel,
  operation: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): { operation: string; input: Record<string, unknown> } {
  let fields: Record<string, unknown> = {};
  if (body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        fields = parsed as Record<string, unknown>;
      else throw new Error('not an object');
    } catch {
      throw new AwsError('BadRequestException', 'Could not parse request body into json.', 400);
    }
  }
  const query = new URLSearchParams();
  const inputShape = model.operations[operation]?.input;
  const members = inputShape ? (model.shapes[inputShape]?.members ?? {}) : {};
  // Members the model binds to the body (ListExportJobs is a POST in the model) stay in the body.
  const inBody: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(members)) {
    const v = fields[name];
    if (v === undefined || v === null) continue;
    if (ref.location === 'querystring') query.set(ref.locationName ?? name, String(v));
    else if (!ref.location) inBody[name] = v;
  }
  const rest = Object.keys(inBody).length > 0 ? Buffer.from(JSON.stringify(inBody)) : Buffer.alloc(0);
  return { operation, input: parseRestJsonInput(model, operation, {}, query, headers, rest) };
}

const UNKNOWN: Omit<ApiSurface, 'service'> = {
  protocol: 'query',
  known: false,
  operations: {},
  parse() {
    throw new AwsError('InvalidAction', 'The requested service is not offered by this endpoint.', 400);
  },
  serialize() {
    throw new Error('unreachable');
  },
  serializeError(err, requestId) {
    return querySurface(loadModel('sts'), 'sts', {}).serializeError(err, requestId);
  },
  notImplemented: (op) => new AwsError('InvalidAction', `Unknown operation ${op}`, 400),
};

function buildSurface(app: App, key: string): ApiSurface {
  const ops = app.operations;
  switch (key) {
    case 'ses-v2':
      return restJsonSurface(loadModel('sesv2'), ops.sesV2);
    case 'ses':
      return querySurface(loadModel('ses'), 'ses', ops.sesV1, '1');
    case 'iam':
      return querySurface(loadModel('iam'), 'iam', ops.iam);
    case 'sts':
      return querySurface(loadModel('sts'), 'sts', ops.sts);
    case 'sesame':
      return mailboxSurface(ops.sesame);
    default:
      return { ...UNKNOWN, service: key };
  }
}

// Surfaces are built once per app and service (they hold only the model and the operation table).
const surfaces = new WeakMap<App, Map<string, ApiSurface>>();

export function apiFor(app: App, service: string, rawPath: string): ApiSurface {
  const name = service === 'email' ? 'ses' : service;
  const key = name === 'ses' && rawPath.startsWith('/v2/') ? 'ses-v2' : name;
  let byKey = surfaces.get(app);
  if (!byKey) surfaces.set(app, (byKey = new Map()));
  let surface = byKey.get(key);
  if (!surface) {
    surface = buildSurface(app, key);
    // Unknown service names come from clients: never let them grow the map.
    if (surface.known) byKey.set(key, surface);
  }
  return surface;
}

/** REST-JSON services name the common errors differently from Query services (auth names: auth/sigv4). */
const REST_JSON_NAMES: Record<string, string> = {
  AccessDenied: 'AccessDeniedException',
  ValidationError: 'BadRequestException',
  InvalidParameterValue: 'BadRequestException',
  InternalFailure: 'InternalServiceErrorException',
};

export function restJsonErrorFor(err: AwsError, requestId: string): WireResponse {
  const authMapped = toRestJsonAuthError(err);
  const name = REST_JSON_NAMES[authMapped.code];
  const mapped = name ? new AwsError(name, err.message, err.httpStatus, err.type) : authMapped;
  const res = serializeRestJsonError(mapped, requestId);
  return { status: res.status, headers: { ...res.headers }, body: res.body };
}
