// Policies read back from the store, as NamedPolicy for the authorizer. Documents were validated on
// write; one that no longer parses must not fail open (docs/architecture.md rule 6), so it becomes a policy
// that denies everything (identity) or allows nothing (boundary, session).
import { parsePolicy } from '../policy/parse.js';
import type { NamedPolicy, PolicySource } from '../policy/request.js';
import type { Policy } from '../policy/types.js';

const DENY_ALL: Policy = {
  version: '2012-10-17',
  statements: [
    {
      index: 0,
      sid: 'SesameUnreadablePolicy',
      effect: 'Deny',
      action: ['*'],
      resource: ['*'],
      conditions: [],
    },
  ],
};
const ALLOW_NOTHING: Policy = { version: '2012-10-17', statements: [] };

// Parsing is pure, so identical texts (a managed policy attached to many users) parse once.
const parsed = new Map<string, Policy | null>();
const PARSED_MAX = 2000;

function parseCached(text: string): Policy | null {
  const hit = parsed.get(text);
  if (hit !== undefined) return hit;
  const r = parsePolicy(text);
  const policy = r.ok ? r.policy : null;
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
  parsed.set(text, policy);
  return policy;
}

export function storedPolicy(id: string, source: PolicySource, text: string): NamedPolicy {
  const policy = parseCached(text);
  if (policy) return { id, source, policy, text };
  const restrictive = source === 'boundary' || source === 'session';
  return { id, source, policy: restrictive ? ALLOW_NOTHING : DENY_ALL };
}
