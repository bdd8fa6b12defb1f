// AWS Query request decoding (docs/spec/ses.md §3.2): form parameters -> the operation's input object,
// keyed by model member names. Structures nest with dots, lists are `.member.N` (or `.N` when
// flattened), maps `.entry.N.key/.value`; `Name=` (empty) is an empty list. Timestamps become
// Dates, blobs Buffers. Violations of the model's constraints throw ValidationError in AWS's words.

import { AwsError } from '../../errors/aws-error.js';
import { getOperation, getShape, type ServiceModel, type Shape, type ShapeRef } from '../model.js';
import { validationErrors, validationMessage } from '../validate.js';

/** What AWS puts in the InvalidAction message when the request carries no Version. */
const NO_VERSION = 'NO_VERSION_SPECIFIED';

/**
 * The operation a Query request names, checked against the model: a missing Action is
 * `MissingAction`; an Action the model lacks, or a Version other than the model's, is
 * `InvalidAction` "Could not find operation X for version V".
 */
export function resolveQueryAction(model: ServiceModel, params: URLSearchParams): string {
  const action = params.get('Action');
  if (action === null || action === '') {
    throw new AwsError('MissingAction', 'Missing Action', 400);
  }
  const version = params.get('Version') || NO_VERSION;
  if (version !== model.metadata.apiVersion || getOperation(model, action) === undefined) {
    throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${version}`, 400);
  }
  return action;
}

function malformed(name: string, value: string, expected: string): AwsError {
  return new AwsError(
    'InvalidParameterValue',
    `Value (${value}) for parameter ${name} is invalid. Expected: ${expected}.`,
    400,
  );
}

function parseScalar(shape: Shape, name: string, raw: string): unknown {
  switch (shape.type) {
    case 'boolean': {
      const v = raw.toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      throw malformed(name, raw, 'boolean');
    }
    case 'integer':
    case 'long': {
      if (!/^[+-]?\d+$/.test(raw.trim())) throw malformed(name, raw, shape.type);
      const n = Number(raw);
      const limit = shape.type === 'integer' ? 2 ** 31 : 2 ** 63;
      if (n >= limit || n < -limit) throw malformed(name, raw, shape.type);
      return n;
    }
    case 'double':
    case 'float': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      if (Number.isNaN(n) && raw !== 'NaN') throw malformed(name, raw, 'double');
      return n;
    }
    case 'timestamp': {
      const d = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(d.getTime())) throw malformed(name, raw, 'timestamp');
      return d;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

interface Ctx {
  model: ServiceModel;
  /** First value of each parameter (URLSearchParams.get scans linearly, a Map does not). */
  values: Map<string, string>;
  /** Every dotted prefix of every parameter name (`A`, `A.member`, `A.member.1`, ...). */
  prefixes: Set<string>;
  /** For `X.` the numeric segments that follow it, as written (`Tags.member.` -> '1', '2', ...). */
  indexes: Map<string, Set<string>>;
}

// Built once per request so that nested lists stay linear in the number of parameters.
function indexParams(model: ServiceModel, params: URLSearchParams): Ctx {
  const values = new Map<string, string>();
  for (const [k, v] of params) if (!values.has(k)) values.set(k, v);
  const prefixes = new Set<string>();
  const indexes = new Map<string, Set<string>>();
  for (const key of values.keys()) {
    const parts = key.split('.');
    let prefix = '';
    for (const part of parts) {
      if (prefix !== '' && /^\d+$/.test(part)) {
        const set = indexes.get(`${prefix}.`) ?? new Set<string>();
        // Kept as written: `member.99999999999999999999` must find its own value again.
        set.add(part);
        indexes.set(`${prefix}.`, set);
      }
      prefix = prefix === '' ? part : `${prefix}.${part}`;
      prefixes.add(prefix);
    }
  }
  return { model, values, prefixes, indexes };
}

/** Digit strings in numeric order, however long: fewer significant digits first, then by text. */
function byNumericValue(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

const indexesUnder = (ctx: Ctx, prefix: string): string[] =>
  [...(ctx.indexes.get(prefix) ?? [])].sort(byNumericValue);

function parseValue(ctx: Ctx, ref: ShapeRef, prefix: string): unknown {
  const shape = getShape(ctx.model, ref.shape);
  switch (shape.type) {
    case 'structure':
      return parseStructure(ctx, shape, prefix);
    case 'list': {
      if (ctx.values.get(prefix) === '') return [];
      const member = shape.member ?? { shape: 'String' };
      const flattened = shape.flattened || ref.flattened;
      const itemPrefix = flattened ? `${prefix}.` : `${prefix}.${member.locationName ?? 'member'}.`;
      // A member named only by deeper parameters (`member.1.x` of a string list) is no member.
      return indexesUnder(ctx, itemPrefix)
        .map((i) => parseValue(ctx, member, `${itemPrefix}${i}`))
        .filter((v) => v !== undefined);
    }
    case 'map': {
      if (ctx.values.get(prefix) === '') return {};
      const flattened = shape.flattened || ref.flattened;
      const entryPrefix = flattened ? `${prefix}.` : `${prefix}.entry.`;
      const keyName = shape.key?.locationName ?? 'key';
      const valueName = shape.value?.locationName ?? 'value';
      const out: Record<string, unknown> = {};
      for (const i of indexesUnder(ctx, entryPrefix)) {
        const key = ctx.values.get(`${entryPrefix}${i}.${keyName}`);
        if (key === undefined || !shape.value) continue;
        out[key] = parseValue(ctx, shape.value, `${entryPrefix}${i}.${valueName}`);
      }
      return out;
    }
    default: {
      const raw = ctx.values.get(prefix);
      return raw === undefined ? undefined : parseScalar(shape, prefix, raw);
    }
  }
}

function parseStructure(ctx: Ctx, shape: Shape, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const key = ref.queryName ?? ref.locationName ?? name;
    const full = prefix === '' ? key : `${prefix}.${key}`;
    if (!ctx.prefixes.has(full)) continue;
    const v = parseValue(ctx, ref, full);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/**
 * Decodes the parameters of a Query request for `operationName` and validates them against the
 * model. Throws AwsError: InvalidAction (operation unknown to the model), InvalidParameterValue
 * (a value of the wrong type), ValidationError (constraints: required, length, pattern, enum, range).
 */
export function parseQueryInput(
  model: ServiceModel,
  operationName: string,
  params: URLSearchParams,
): Record<string, unknown> {
  const op = getOperation(model, operationName);
  if (!op) {
    const version = params.get('Version') || NO_VERSION;
    throw new AwsError(
      'InvalidAction',
      `Could not find operation ${operationName} for version ${version}`,
      400,
    );
  }
  if (!op.input) return {};
  const ctx = indexParams(model, params);
  const input = parseStructure(ctx, getShape(model, op.input), '');
  const message = validationMessage(validationErrors(model, op.input, input));
  if (message) throw new AwsError('ValidationError', message, 400);
  return input;
}
