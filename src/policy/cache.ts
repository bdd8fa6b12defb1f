// Compiled policies cached by content: the same text (or the same JSON, when no text is given)
// compiles once per policy type. A NamedPolicy object seen again is found without hashing at all.

import { compilePolicy, type CompiledPolicy } from './compile.js';
import type { BoundPolicy } from './evaluate.js';
import type { MatchedStatement, NamedPolicy } from './request.js';
import type { Policy, PolicyType } from './types.js';

export interface PolicyCache {
  /** The compiled policy for this content and type (compiled on first use). */
  compiled(policy: Policy, type: PolicyType, text?: string): CompiledPolicy;
  /** The compiled policy bound to a NamedPolicy (id/source attached to its statements). */
  bind(named: NamedPolicy, type: PolicyType): BoundPolicy;
  /** Number of distinct compiled contents held. */
  readonly size: number;
  clear(): void;
}

function contentKey(policy: Policy, type: PolicyType, text: string | undefined): string {
  return `${type}\u0000${text ?? JSON.stringify(policy)}`;
}

export function createPolicyCache(maxEntries = 2000): PolicyCache {
  let byContent = new Map<string, CompiledPolicy>();
  let byObject = new WeakMap<Policy, Map<PolicyType, CompiledPolicy>>();
  let bound = new WeakMap<NamedPolicy, BoundPolicy>();

  function compiled(policy: Policy, type: PolicyType, text?: string): CompiledPolicy {
    const perType = byObject.get(policy);
    const hit = perType?.get(type);
    if (hit) return hit;
    const key = contentKey(policy, type, text);
    let c = byContent.get(key);
    if (c) {
      byContent.delete(key); // LRU: move to the back
    } else {
      c = compilePolicy(policy, type);
      if (byContent.size >= maxEntries) {
        const oldest = byContent.keys().next().value;
        if (oldest !== undefined) byContent.delete(oldest);
      }
    }
    byContent.set(key, c);
    if (perType) perType.set(type, c);
    else byObject.set(policy, new Map([[type, c]]));
    return c;
  }

  function bind(named: NamedPolicy, type: PolicyType): BoundPolicy {
    const hit = bound.get(named);
    if (hit && hit.type === type && hit.named.policy === named.policy) return hit;
    const c = compiled(named.policy, type, named.text);
    const matched: MatchedStatement[] = c.statements.map((cs) => {
      const m: MatchedStatement = {
        policyId: named.id,
        source: named.source,
        policyType: type,
        index: cs.statement.index,
        effect: cs.statement.effect,
      };
      if (cs.statement.sid !== undefined) m.sid = cs.statement.sid;
      return Object.freeze(m);
    });
    const b: BoundPolicy = { named, type, compiled: c, matched };
    bound.set(named, b);
    return b;
  }

  return {
    compiled,
    bind,
    get size() {
      return byContent.size;
    },
    clear() {
      byContent = new Map();
      byObject = new WeakMap();
      bound = new WeakMap();
    },
  };
}

/** The process-wide cache authorize() uses by default. */
export const defaultPolicyCache: PolicyCache = createPolicyCache();
