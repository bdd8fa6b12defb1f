// Model-driven conversion between JSON and the plain objects domain code sees: blobs are base64
// strings on the wire and Buffers inside, timestamps epoch seconds on the wire and Dates inside.
// Doubles are written with a decimal point (`200.0`), as AWS does.

import { AwsError } from '../../errors/aws-error.js';
import { getShape, type ServiceModel, type Shape } from '../model.js';
import { formatDouble, toBuffer, toDate } from '../values.js';

const TARGET: Partial<Record<Shape['type'], string>> = {
  string: 'a String',
  integer: 'an Integer',
  long: 'a Long',
  double: 'a Double',
  float: 'a Float',
  boolean: 'a Boolean',
  timestamp: 'a Timestamp',
  blob: 'a Blob',
};

function tokenName(value: unknown): string {
  if (typeof value === 'string') return 'STRING_VALUE';
  if (typeof value === 'number') return 'NUMBER_VALUE';
  if (typeof value === 'boolean') return 'BOOLEAN_VALUE';
  return 'VALUE';
}

export const badRequest = (message: string): AwsError => new AwsError('BadRequestException', message, 400);

/** JSON -> input object for `shape`; a JSON value of the wrong kind is a BadRequestException. */
export function fromJson(model: ServiceModel, shape: Shape, value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value) && shape.type !== 'list')
    throw badRequest('Start of list found where not expected');
  if (
    typeof value === 'object' &&
    !Array.isArray(value) &&
    shape.type !== 'structure' &&
    shape.type !== 'map'
  ) {
    throw badRequest('Start of structure or map found where not expected.');
  }
  const mismatch = (): AwsError =>
    badRequest(`${tokenName(value)} can not be converted to ${TARGET[shape.type]}`);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object')
        throw badRequest(`${tokenName(value)} can not be converted to a Structure`);
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue; // bound to the URI, query string or headers, never the body
        const key = ref.locationName ?? name;
        if (!Object.hasOwn(src, key)) continue;
        const v = fromJson(model, getShape(model, ref.shape), src[key]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw badRequest(`${tokenName(value)} can not be converted to a List`);
      const member = getShape(model, shape.member?.shape ?? 'String');
      return value.map((v) => fromJson(model, member, v)).filter((v) => v !== undefined);
    }
    case 'map': {
      if (typeof value !== 'object') throw badRequest(`${tokenName(value)} can not be converted to a Map`);
      const valueShape = getShape(model, shape.value?.shape ?? 'String');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const converted = fromJson(model, valueShape, v);
        if (converted !== undefined) out[k] = converted;
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw mismatch();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch();
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw mismatch();
      return value;
    case 'double':
    case 'float':
      if (typeof value === 'number') return value;
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      throw mismatch();
    case 'timestamp': {
      if (typeof value !== 'number' && typeof value !== 'string') throw mismatch();
      const d = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
      if (Number.isNaN(d.getTime())) throw mismatch();
      return d;
    }
    case 'blob':
      if (typeof value !== 'string') throw mismatch();
      return Buffer.from(value, 'base64');
    default:
      return value;
  }
}

/** Output object -> JSON text for `shape`; undefined/null members are left out. */
export function toJson(model: ServiceModel, shape: Shape, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const src = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location) continue;
        const text = toJson(model, getShape(model, ref.shape), src[name]);
        if (text !== undefined) parts.push(`${JSON.stringify(ref.locationName ?? name)}:${text}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'list': {
      const member = getShape(model, shape.member?.shape ?? 'String');
      return `[${(value as unknown[]).map((v) => toJson(model, member, v) ?? 'null').join(',')}]`;
    }
    case 'map': {
      const valueShape = getShape(model, shape.value?.shape ?? 'String');
      const parts = Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
        const text = toJson(model, valueShape, v);
        return text === undefined ? [] : [`${JSON.stringify(k)}:${text}`];
      });
      return `{${parts.join(',')}}`;
    }
    case 'double':
    case 'float': {
      const n = Number(value);
      return Number.isFinite(n) ? formatDouble(n) : JSON.stringify(formatDouble(n));
    }
    case 'integer':
    case 'long':
      return String(Math.trunc(Number(value)));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'timestamp':
      return String(toDate(value).getTime() / 1000);
    case 'blob':
      return JSON.stringify(toBuffer(value).toString('base64'));
    default:
      return JSON.stringify(String(value));
  }
}
