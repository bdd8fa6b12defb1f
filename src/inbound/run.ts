// Runs the actions of one claimed received message, in order: the rules it matched at receipt,
// each rule's actions (members of one action element in the model's order), from where it
// stopped. Every action is a step committed with its writes and the message's trace, fenced by
// the lease: a restart resumes at the first action not recorded as run. AddHeader changes the
// message the following actions see; Stop, and a RequestResponse Lambda's disposition, end the
// rule or the rule set. A temporary failure reschedules the step with backoff until it expires.
import { backoffMs } from '../delivery/lease.js';
import { getMessage } from '../delivery/mailbox.js';
import { takeFresh } from './fresh.js';
import { actionMembers, type ReceiptRule } from '../ses/receiving/index.js';
import type { Store } from '../store/database.js';
import type { InboundMessageRow } from '../store/schema/receiving.js';
import { batchedWrite } from '../store/write-batch.js';
import { runAction, type ActionEnv, type ActionOutcome } from './actions.js';
import { receivedMail } from './notification.js';
import { updateHeld } from './queue.js';
import type { PlannedRule } from './receive.js';
import type { Verdicts } from './verdicts.js';

export interface TraceEntry {
  at: string;
  event: 'Received' | 'Action' | 'Retry' | 'Completed' | 'Abandoned';
  ruleSet?: string;
  rules?: string[];
  rule?: string;
  action?: string;
  /** 1-based position of the action element in its rule. */
  position?: number;
  /** SES's words for what became of the action (its CloudWatch metrics). */
  outcome?: 'PublishSuccess' | 'PublishFailure' | 'PublishExpired';
  attempt?: number;
  stop?: 'rule' | 'rule-set';
  detail?: string;
}

export interface RunTuning {
  /** Attempts of one action before it expires (PublishExpired). */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export interface RunDeps {
  store: Store;
  env: ActionEnv;
  workerId: string;
  now: () => Date;
  tuning: RunTuning;
}

const membersOf = (rule: PlannedRule) => actionMembers({ Actions: rule.actions } as ReceiptRule);

/** Moves past rules whose actions are all done. */
function normalize(plan: readonly PlannedRule[], c: { rule: number; action: number }) {
  while (c.rule < plan.length && c.action >= membersOf(plan[c.rule]!).length) {
    c.rule++;
    c.action = 0;
  }
}

function withHeaders(raw: Buffer, added: readonly { name: string; value: string }[]): Buffer {
  if (added.length === 0) return raw;
  const eol = raw.includes('\r\n') ? '\r\n' : '\n';
  // The latest AddHeader ends up on top, as each one prepends to the message it was given.
  const head = [...added].reverse().map((h) => `${h.name}: ${h.value}${eol}`);
  return Buffer.concat([Buffer.from(head.join(''), 'utf8'), raw]);
}

const OUTCOME = { done: 'PublishSuccess', failed: 'PublishFailure' } as const;

/** Runs what is left of one message; resolves to how it was left. */
export async function runInbound(deps: RunDeps, row: InboundMessageRow): Promise<'done' | 'retry'> {
  const plan = JSON.parse(row.plan) as PlannedRule[];
  const verdicts = JSON.parse(row.verdicts) as Verdicts;
  const trace = JSON.parse(row.trace) as TraceEntry[];
  const added = JSON.parse(row.added_headers) as { name: string; value: string }[];
  const cursor = { rule: Number(row.rule_index), action: Number(row.action_index) };
  let attempts = Number(row.attempts);
  const receivedAt = new Date(Number(row.received_at));
  const hold = (tx: Store, set: Partial<InboundMessageRow>) =>
    updateHeld(tx, row.message_id, deps.workerId, set);
  const finish = (set: Partial<InboundMessageRow>, at: Date): Partial<InboundMessageRow> => ({
    ...set,
    status: 'done',
    finished_at: at.getTime(),
    lease_owner: null,
    lease_until: null,
  });

  const fresh = takeFresh(deps.store, row.message_id);
  const captured = fresh ? { raw: fresh } : await getMessage(deps.store, row.account_id, row.message_id);
  normalize(plan, cursor);
  if (!captured || cursor.rule >= plan.length) {
    const at = deps.now();
    trace.push(
      captured
        ? { at: at.toISOString(), event: 'Completed' }
        : { at: at.toISOString(), event: 'Abandoned', detail: 'The message was deleted from the mailbox.' },
    );
    await batchedWrite(deps.store, (tx) => hold(tx, finish({ trace: JSON.stringify(trace) }, at)));
    return 'done';
  }

  while (cursor.rule < plan.length) {
    const rule = plan[cursor.rule]!;
    const { member, index } = membersOf(rule)[cursor.action]!;
    const raw = withHeaders(captured.raw, added);
    let mail: ReturnType<typeof receivedMail> | undefined;
    const now = deps.now();
    let outcome: ActionOutcome;
    try {
      outcome = await runAction(
        {
          env: deps.env,
          store: deps.store,
          accountId: row.account_id,
          region: row.region,
          messageId: row.message_id,
          mailFrom: row.mail_from,
          rule,
          step: `${cursor.rule}/${cursor.action}`,
          raw,
          // Built only for the actions that publish or invoke (an S3 action alone needs none).
          get mail() {
            return (mail ??= receivedMail(raw, {
              messageId: row.message_id,
              mailFrom: row.mail_from,
              receivedAt,
            }));
          },
          receivedAt,
          verdicts,
          now,
        },
        member,
        rule.actions[index]!,
      );
    } catch (e) {
      outcome = { kind: 'retry', detail: (e as Error).message };
    }
    const base = { at: now.toISOString(), rule: rule.name, action: member, position: index + 1 };
    if (outcome.kind === 'retry' && attempts + 1 < deps.tuning.maxAttempts) {
      attempts++;
      trace.push({ ...base, event: 'Retry', attempt: attempts, detail: outcome.detail });
      const next = now.getTime() + backoffMs(attempts, deps.tuning.retryBaseMs, deps.tuning.retryMaxMs);
      await batchedWrite(deps.store, (tx) =>
        hold(tx, {
          status: 'queued',
          lease_owner: null,
          lease_until: null,
          attempts,
          next_attempt_at: next,
          trace: JSON.stringify(trace),
          last_error: outcome.detail.slice(0, 1000),
        }),
      );
      return 'retry';
    }
    const entry: TraceEntry = {
      ...base,
      event: 'Action',
      outcome: outcome.kind === 'retry' ? 'PublishExpired' : OUTCOME[outcome.kind],
      ...(attempts > 0 ? { attempt: attempts + 1 } : {}),
      ...(outcome.detail ? { detail: outcome.detail } : {}),
    };
    const done = outcome.kind === 'done' ? outcome : undefined;
    if (done?.header) added.push(done.header);
    if (done?.stop) entry.stop = done.stop;
    trace.push(entry);
    if (done?.stop === 'rule-set') cursor.rule = plan.length;
    else if (done?.stop === 'rule') [cursor.rule, cursor.action] = [cursor.rule + 1, 0];
    else cursor.action++;
    normalize(plan, cursor);
    attempts = 0;
    const finished = cursor.rule >= plan.length;
    if (finished) trace.push({ at: now.toISOString(), event: 'Completed' });
    const set: Partial<InboundMessageRow> = {
      rule_index: cursor.rule,
      action_index: cursor.action,
      attempts: 0,
      added_headers: JSON.stringify(added),
      trace: JSON.stringify(trace),
      last_error: outcome.kind === 'done' ? null : outcome.detail.slice(0, 1000),
    };
    await batchedWrite(deps.store, async (tx) => {
      await hold(tx, finished ? finish(set, now) : set);
      await done?.write?.(tx);
    });
    done?.after?.();
  }
  return 'done';
}
