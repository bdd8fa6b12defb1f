// Model constraints checked the way AWS's front end checks them, in AWS's words:
//   "2 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member
//    must not be null; Value 'x' at 'path' failed to satisfy constraint: Member must ..."
// Paths use lower-camel member names; list elements are `tags.1.member.key` (1-based).
// Sensitive values are not echoed ("Value at 'password' failed ...").

import { getShape, type ServiceModel, type Shape } from './model.js';

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

const patternCache = new Map<string, RegExp | null>();

/** Model patterns are Java regexes matched against the whole value; null when JS cannot compile it. */
function compilePattern(pattern: string): RegExp | null {
  if (patternCache.has(pattern)) return patternCache.get(pattern)!;
  let re: RegExp | null = null;
  for (const flags of ['u', '']) {
    try {
      re = new RegExp(`^(?:${pattern})$`, flags);
      break;
    } catch {
      /* try the next flag set: a few model patterns escape characters that the `u` flag refuses */
    }
  }
  patternCache.set(pattern, re);
  return re;
}

function render(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${render(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

function sizeOf(shape: Shape, value: unknown): number | undefined {
  if (shape.type === 'string' && typeof value === 'string') return [...value].length;
  if (shape.type === 'blob' && Buffer.isBuffer(value)) return value.length;
  if (shape.type === 'list' && Array.isArray(value)) return value.length;
  if (shape.type === 'map' && value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

function checkValue(model: ServiceModel, shape: Shape, value: unknown, path: string, out: string[]): void {
  const fail = (constraint: string): void => {
    const shown = shape.sensitive ? 'Value' : `Value '${render(value)}'`;
    out.push(`${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  };
  const size = sizeOf(shape, value);
  if (size !== undefined) {
    if (shape.max !== undefined && size > shape.max) fail(`have length less than or equal to ${shape.max}`);
    if (shape.min !== undefined && size < shape.min)
      fail(`have length greater than or equal to ${shape.min}`);
  }
  if (typeof value === 'number') {
    if (shape.max !== undefined && value > shape.max) fail(`have value less than or equal to ${shape.max}`);
    if (shape.min !== undefined && value < shape.min)
      fail(`have value greater than or equal to ${shape.min}`);
  }
  if (typeof value === 'string') {
    if (shape.pattern !== undefined) {
      const re = compilePattern(shape.pattern);
      if (re && !re.test(value)) fail(`satisfy regular expression pattern: ${shape.pattern}`);
    }
    if (shape.enum && !shape.enum.includes(value)) fail(`satisfy enum value set: [${shape.enum.join(', ')}]`);
  }
  if (shape.type === 'structure' && value !== null && typeof value === 'object') {
    checkStructure(model, shape, value as Record<string, unknown>, path, out);
  } else if (shape.type === 'list' && Array.isArray(value) && shape.member) {
    const member = getShape(model, shape.member.shape);
    value.forEach((v, i) => checkValue(model, member, v, `${path}.${i + 1}.member`, out));
  } else if (
    shape.type === 'map' &&
    value !== null &&
    typeof value === 'object' &&
    shape.key &&
    shape.value
  ) {
    const keyShape = getShape(model, shape.key.shape);
    const valueShape = getShape(model, shape.value.shape);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      checkValue(model, keyShape, k, `${path}.${k}.key`, out);
      checkValue(model, valueShape, v, `${path}.${k}.value`, out);
    }
  }
}

function checkStructure(
  model: ServiceModel,
  shape: Shape,
  value: Record<string, unknown>,
  path: string,
  out: string[],
): void {
  const required = new Set(shape.required ?? []);
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const memberPath = path === '' ? lowerFirst(name) : `${path}.${lowerFirst(name)}`;
    const v = value[name];
    if (v === undefined || v === null) {
      if (required.has(name))
        out.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    checkValue(model, getShape(model, ref.shape), v, memberPath, out);
  }
}

/** All constraint violations of `input` against structure `shapeName`, in model member order. */
export function validationErrors(
  model: ServiceModel,
  shapeName: string,
  input: Record<string, unknown>,
): string[] {
  const out: string[] = [];
  checkStructure(model, getShape(model, shapeName), input, '', out);
  return out;
}

/** AWS's summary sentence for a list of violations; undefined when there are none. */
export function validationMessage(errors: string[]): string | undefined {
  if (errors.length === 0) return undefined;
  const head =
    errors.length === 1 ? '1 validation error detected' : `${errors.length} validation errors detected`;
  return `${head}: ${errors.join('; ')}`;
}
