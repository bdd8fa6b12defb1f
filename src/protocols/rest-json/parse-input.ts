// rest-json request decoding (docs/spec/ses.md §3.5): URI labels, query-string members, header members
// and the JSON body become one input object keyed by model member names, then the model's
// constraints are checked. Every failure is a BadRequestException (400), as SES v2 answers.

import {
  getOperation,
  getShape,
  ModelError,
  type ServiceModel,
  type Shape,
  type ShapeRef,
} from '../model.js';
import { validationErrors, validationMessage } from '../validate.js';
import { badRequest, fromJson } from './json-value.js';
import { matchRoute, type RouteMatch } from './router.js';

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** The operation for `method` + `rawPath` (percent-encoded path, query string ignored). */
export function matchRestJsonRoute(
  model: ServiceModel,
  method: string,
  rawPath: string,
): RouteMatch | undefined {
  return matchRoute(model.routes, method, rawPath);
}

/** A query-string, header or URI value as the member's type. */
function fromText(
  shape: Shape,
  text: string,
  name: string,
  where: 'uri' | 'querystring' | 'header',
): unknown {
  const invalid = (): never => {
    throw badRequest(`Invalid value '${text}' for ${where === 'uri' ? 'path' : where} parameter ${name}`);
  };
  switch (shape.type) {
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      return invalid();
    case 'integer':
    case 'long':
      return /^[+-]?\d+$/.test(text) ? Number(text) : invalid();
    case 'double':
    case 'float': {
      const n = Number(text);
      return text.trim() === '' || Number.isNaN(n) ? invalid() : n;
    }
    case 'timestamp': {
      // query strings default to ISO 8601, headers to HTTP dates; epoch seconds are accepted too
      const d = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
      return Number.isNaN(d.getTime()) ? invalid() : d;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

function header(headers: RequestHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

function bound(
  model: ServiceModel,
  name: string,
  ref: ShapeRef,
  pathParams: Record<string, string>,
  query: URLSearchParams,
  headers: RequestHeaders,
  claimed: Set<string>,
): unknown {
  const shape = getShape(model, ref.shape);
  const wire = ref.locationName ?? name;
  switch (ref.location) {
    case 'uri':
      return Object.hasOwn(pathParams, wire) ? fromText(shape, pathParams[wire]!, wire, 'uri') : undefined;
    case 'querystring': {
      if (shape.type === 'map') {
        const out: Record<string, string> = {};
        for (const [k, v] of query) if (!claimed.has(k) && !Object.hasOwn(out, k)) out[k] = v;
        return Object.keys(out).length > 0 ? out : undefined;
      }
      if (shape.type === 'list') {
        const all = query.getAll(wire);
        if (all.length === 0) return undefined;
        const member = getShape(model, shape.member?.shape ?? 'String');
        return all.map((v) => fromText(member, v, wire, 'querystring'));
      }
      const v = query.get(wire);
      return v === null ? undefined : fromText(shape, v, wire, 'querystring');
    }
    case 'header': {
      const v = header(headers, wire);
      if (v === undefined) return undefined;
      if (ref.jsonvalue) return JSON.parse(Buffer.from(v, 'base64').toString('utf8')) as unknown;
      return fromText(shape, v, wire, 'header');
    }
    case 'headers': {
      const prefix = wire.toLowerCase();
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(headers)) {
        if (k.toLowerCase().startsWith(prefix) && v !== undefined) out[k.slice(prefix.length)] = String(v);
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    default:
      return undefined;
  }
}

function parseBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('Could not parse request body into json: the body is not well-formed JSON.');
  }
}

/**
 * Decodes one SES v2 request into the input object of `operationName` (as found by
 * matchRestJsonRoute) and validates it against the model. Throws BadRequestException.
 */
export function parseRestJsonInput(
  model: ServiceModel,
  operationName: string,
  pathParams: Record<string, string>,
  query: URLSearchParams,
  headers: RequestHeaders,
  body: Buffer,
): Record<string, unknown> {
  const op = getOperation(model, operationName);
  if (!op) throw new ModelError(`${model.name}: unknown operation ${operationName}`);
  if (!op.input) return {};
  const inputShape = getShape(model, op.input);
  const members = Object.entries(inputShape.members ?? {});
  let input: Record<string, unknown>;
  if (inputShape.payload) {
    const ref = inputShape.members?.[inputShape.payload];
    const payloadShape = ref ? getShape(model, ref.shape) : undefined;
    const value = payloadShape?.type === 'blob' ? body : fromJson(model, payloadShape!, parseBody(body));
    input = value === undefined ? {} : { [inputShape.payload]: value };
  } else {
    const json = parseBody(body);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw badRequest('Start of structure or map found where not expected.');
    }
    input = fromJson(model, inputShape, json) as Record<string, unknown>;
  }
  const claimed = new Set(
    members.filter(([, r]) => r.location === 'querystring').map(([n, r]) => r.locationName ?? n),
  );
  for (const [name, ref] of members) {
    if (!ref.location) continue;
    const v = bound(model, name, ref, pathParams, query, headers, claimed);
    if (v !== undefined) input[name] = v;
  }
  const message = validationMessage(validationErrors(model, op.input, input));
  if (message) throw badRequest(message);
  return input;
}
