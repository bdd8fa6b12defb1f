// "Why?" on a denied audit record: the simulator opens on that exact request — the denied check's
// action and resource, the caller (a role session's role), and every context key the record kept.
import type { ContextValue } from './simulator-context.js';
import type { SimulatorPrefill } from './Simulator.js';

export interface RecordedContext {
  keys: Record<string, ContextValue>;
  checks: {
    action: string;
    resource: string;
    resourceAccount?: string;
    keys?: Record<string, ContextValue>;
  }[];
  redacted?: string[];
  truncated?: boolean;
}

export interface WhyRecord {
  principalArn: string | null;
  actions: string[];
  resources: string[];
  explanation?: unknown;
  requestContext?: RecordedContext | null;
}

export function whyPrefill(r: WhyRecord): SimulatorPrefill {
  const denied = (r.explanation ?? {}) as { action?: string; resource?: string };
  const ctx = r.requestContext ?? undefined;
  const check =
    ctx?.checks.find((c) => c.action === denied.action && c.resource === denied.resource) ?? ctx?.checks[0];
  const keys = ctx ? { ...ctx.keys, ...check?.keys } : undefined;
  // SimulatePrincipalPolicy takes a user or a role: a role session is simulated as its role.
  const roleArn = typeof keys?.['aws:PrincipalArn'] === 'string' ? keys['aws:PrincipalArn'] : undefined;
  const principalArn = /:user\//.test(r.principalArn ?? '')
    ? r.principalArn!
    : /:assumed-role\//.test(r.principalArn ?? '')
      ? roleArn
      : undefined;
  return {
    action: check?.action ?? denied.action ?? r.actions[0],
    resource: check?.resource ?? denied.resource ?? r.resources[0] ?? '*',
    ...(principalArn ? { principalArn } : {}),
    ...(keys ? { context: keys } : {}),
    run: principalArn !== undefined,
  };
}
