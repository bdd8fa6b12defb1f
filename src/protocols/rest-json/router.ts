// rest-json routing: method + path template from the model (`/v2/email/identities/{EmailIdentity}`),
// greedy labels `{Key+}` take the rest of the path. Literal segments win over labels, labels over
// greedy labels, position by position, so `/v2/email/identities/{EmailIdentity}/policies` never
// loses to a greedy sibling.

import type { Operation } from '../model.js';

type Segment = { kind: 'literal'; text: string } | { kind: 'label'; name: string; greedy: boolean };

export interface Route {
  operation: string;
  method: string;
  segments: Segment[];
}

export interface RouteMatch {
  operation: string;
  /** Label values, percent-decoded. */
  pathParams: Record<string, string>;
}

function parseTemplate(requestUri: string): Segment[] {
  const path = requestUri.split('?')[0] ?? '';
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s): Segment => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
      return m ? { kind: 'label', name: m[1]!, greedy: m[2] === '+' } : { kind: 'literal', text: s };
    });
}

const rank = (s: Segment | undefined): number =>
  s === undefined ? 3 : s.kind === 'literal' ? 0 : s.greedy ? 2 : 1;

function compareRoutes(a: Route, b: Route): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = rank(a.segments[i]) - rank(b.segments[i]);
    if (d !== 0) return d;
  }
  return b.segments.length - a.segments.length;
}

export function compileRoutes(operations: Record<string, Operation>): Route[] {
  return Object.entries(operations)
    .map(([operation, op]) => ({
      operation,
      method: op.http.method.toUpperCase(),
      segments: parseTemplate(op.http.requestUri),
    }))
    .sort(compareRoutes);
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchSegments(route: Route, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    if (seg.kind === 'literal') {
      if (parts[i] !== seg.text) return undefined;
      continue;
    }
    const rest = seg.greedy ? parts.slice(i) : parts.slice(i, i + 1);
    if (rest.length === 0 || rest.some((p) => p === '')) return undefined;
    const decoded = rest.map(decode);
    if (decoded.some((d) => d === undefined)) return undefined;
    params[seg.name] = decoded.join('/');
    if (seg.greedy) return i === route.segments.length - 1 ? params : undefined;
  }
  return parts.length === route.segments.length ? params : undefined;
}

// Paths that matched a route without labels (most calls: `/v2/email/outbound-emails`) are kept
// per route table, so the hot ones skip the scan; paths with labels or no match are not kept.
const staticMatches = new WeakMap<Route[], Map<string, string>>();
const STATIC_KEPT = 256;

/** Finds the operation for `method` + `rawPath` (still percent-encoded; a query string is ignored). */
export function matchRoute(routes: Route[], method: string, rawPath: string): RouteMatch | undefined {
  const q = rawPath.indexOf('?');
  const path = q < 0 ? rawPath : rawPath.slice(0, q);
  const upper = method.toUpperCase();
  const key = `${upper} ${path}`;
  let known = staticMatches.get(routes);
  const hit = known?.get(key);
  if (hit !== undefined) return { operation: hit, pathParams: {} };
  const parts = path.split('/').slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // tolerate one trailing slash
  for (const route of routes) {
    if (route.method !== upper) continue;
    const pathParams = matchSegments(route, parts);
    if (!pathParams) continue;
    if (route.segments.every((seg) => seg.kind === 'literal')) {
      if (!known) staticMatches.set(routes, (known = new Map()));
      if (known.size < STATIC_KEPT) known.set(key, route.operation);
    }
    return { operation: route.operation, pathParams };
  }
  return undefined;
}
