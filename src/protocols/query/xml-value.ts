// Model-driven XML encoding of one value for AWS Query responses: lists as <member>, maps as
// <entry><key/><value/></entry>, doubles with a decimal point (`200.0`), ISO 8601 timestamps in UTC.

import { getShape, type ServiceModel, type Shape, type ShapeRef } from '../model.js';
import { formatDouble, isoTimestamp, toBuffer } from '../values.js';

// XML 1.0 cannot carry most C0 controls even escaped; they are dropped rather than breaking the document.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#xD;');
}

function scalarText(shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'double':
    case 'float':
      return formatDouble(Number(value));
    case 'integer':
    case 'long':
      return String(Math.trunc(Number(value)));
    case 'timestamp':
      return isoTimestamp(value);
    case 'blob':
      return toBuffer(value).toString('base64');
    default:
      return escapeXml(String(value));
  }
}

/** The inner XML of `value` (no enclosing element). */
export function xmlContent(model: ServiceModel, shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'structure':
      return structureContent(model, shape, (value ?? {}) as Record<string, unknown>);
    case 'list': {
      const member = shape.member ?? { shape: 'String' };
      const name = member.locationName ?? 'member';
      return (value as unknown[]).map((v) => element(model, member, name, v)).join('');
    }
    case 'map':
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `<entry>${mapEntry(model, shape, k, v)}</entry>`)
        .join('');
    default:
      return scalarText(shape, value);
  }
}

function mapEntry(model: ServiceModel, shape: Shape, key: string, value: unknown): string {
  const keyRef = shape.key ?? { shape: 'String' };
  const valueRef = shape.value ?? { shape: 'String' };
  return (
    element(model, keyRef, keyRef.locationName ?? 'key', key) +
    element(model, valueRef, valueRef.locationName ?? 'value', value)
  );
}

function element(model: ServiceModel, ref: ShapeRef, name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${xmlContent(model, getShape(model, ref.shape), value)}</${name}>`;
}

function structureContent(model: ServiceModel, shape: Shape, value: Record<string, unknown>): string {
  let out = '';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    const memberShape = getShape(model, ref.shape);
    const tag = ref.locationName ?? name;
    const flattened = ref.flattened || memberShape.flattened;
    if (flattened && memberShape.type === 'list') {
      const member = memberShape.member ?? { shape: 'String' };
      out += (v as unknown[]).map((item) => element(model, member, tag, item)).join('');
    } else if (flattened && memberShape.type === 'map') {
      out += Object.entries(v as Record<string, unknown>)
        .map(([k, mv]) => `<${tag}>${mapEntry(model, memberShape, k, mv)}</${tag}>`)
        .join('');
    } else {
      out += element(model, ref, tag, v);
    }
  }
  return out;
}
