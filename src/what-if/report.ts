// The flips of a replay, grouped as a person reads them: by principal, action, direction and the
// statement responsible, with counts, a few resources and example requests to look up.
import type { DecisionKind, MatchedStatement } from '../policy/request.js';

export interface ResponsibleStatement {
  PolicyId: string;
  PolicyType: string;
  StatementIndex: number;
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** The statement belongs to the changed policy. */
  InChange: boolean;
}

export interface Flip {
  requestId: string;
  eventTime: number;
  eventName: string;
  principalArn: string;
  action: string;
  resource: string;
  from: DecisionKind;
  to: DecisionKind;
  /** The policy type that decided after the change. */
  decidedBy?: string;
  statement?: ResponsibleStatement;
}

export interface FlipGroup {
  Principal: string;
  Action: string;
  From: DecisionKind;
  To: DecisionKind;
  DecidedBy?: string;
  Statement?: ResponsibleStatement;
  Count: number;
  FirstSeen: string;
  LastSeen: string;
  /** Up to MAX_RESOURCES distinct resources. */
  Resources: string[];
  /** Up to MAX_EXAMPLES recorded requests, oldest first. */
  Examples: { RequestId: string; EventTime: string; EventName: string; Resource: string }[];
}

const MAX_RESOURCES = 10;
const MAX_EXAMPLES = 3;

export function responsible(
  matched: readonly MatchedStatement[],
  changedIds: ReadonlySet<string>,
): ResponsibleStatement | undefined {
  const m = matched.find((s) => changedIds.has(s.policyId)) ?? matched[0];
  if (!m) return undefined;
  const out: ResponsibleStatement = {
    PolicyId: m.policyId,
    PolicyType: m.policyType,
    StatementIndex: m.index,
    Effect: m.effect,
    InChange: changedIds.has(m.policyId),
  };
  if (m.sid !== undefined) out.Sid = m.sid;
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function flipGroups() {
  const groups = new Map<string, FlipGroup & { first: number; last: number }>();
  return {
    add(f: Flip): void {
      const st = f.statement ? `${f.statement.PolicyId}\u0000${f.statement.StatementIndex}` : '';
      const key = [f.principalArn, f.action, f.from, f.to, f.decidedBy ?? '', st].join('\u0001');
      let g = groups.get(key);
      if (!g) {
        g = {
          Principal: f.principalArn,
          Action: f.action,
          From: f.from,
          To: f.to,
          ...(f.decidedBy !== undefined ? { DecidedBy: f.decidedBy } : {}),
          ...(f.statement ? { Statement: f.statement } : {}),
          Count: 0,
          FirstSeen: iso(f.eventTime),
          LastSeen: iso(f.eventTime),
          Resources: [],
          Examples: [],
          first: f.eventTime,
          last: f.eventTime,
        };
        groups.set(key, g);
      }
      g.Count++;
      g.first = Math.min(g.first, f.eventTime);
      g.last = Math.max(g.last, f.eventTime);
      if (g.Resources.length < MAX_RESOURCES && !g.Resources.includes(f.resource))
        g.Resources.push(f.resource);
      if (g.Examples.length < MAX_EXAMPLES)
        g.Examples.push({
          RequestId: f.requestId,
          EventTime: iso(f.eventTime),
          EventName: f.eventName,
          Resource: f.resource,
        });
    },
    /** Allowed → denied first (what a change breaks), then by count. */
    list(): FlipGroup[] {
      const breaks = (g: FlipGroup) => (g.From === 'Allowed' ? 0 : 1);
      const all = [...groups.values()].map(({ first, last, ...g }) => ({
        ...g,
        FirstSeen: iso(first),
        LastSeen: iso(last),
      }));
      return all.sort(
        (a, b) => breaks(a) - breaks(b) || b.Count - a.Count || a.Principal.localeCompare(b.Principal),
      );
    },
  };
}
