// SES v1 receipt rule set operations: create, clone, delete, describe, list, activate, reorder.
// Each is authorized as `ses:<Operation>` on `*` (the Service Authorization Reference gives the
// receipt actions no resource type).
import type { CallContext, Operation, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { invalidParameter, texts } from '../errors.js';
import { decodeNextToken, toPage } from '../state/paging.js';
import { receiptErrors } from './errors.js';
import { checkName } from './names.js';
import {
  activeRuleSetName,
  deleteRuleSet,
  editRules,
  getRuleSet,
  insertRuleSet,
  listRuleSets,
  setActiveRuleSet,
} from './rule-sets.js';
import type { ReceiptRule, ReceiptRuleSet } from './types.js';

const op = <I>(name: string, handle: (ctx: CallContext, input: I) => Promise<unknown>): Operation<I> => ({
  authorize: onAnyResource(name),
  handle,
});

export const scopeOf = (ctx: CallContext) => ({ accountId: ctx.caller.accountId, region: ctx.region });

/** A rule as DescribeReceiptRule(Set) answers it: empty lists are left out. */
export function describeRule(r: ReceiptRule): Record<string, unknown> {
  return {
    Name: r.Name,
    Enabled: r.Enabled,
    TlsPolicy: r.TlsPolicy,
    ...(r.Recipients.length > 0 ? { Recipients: r.Recipients } : {}),
    ...(r.Actions.length > 0 ? { Actions: r.Actions } : {}),
    ScanEnabled: r.ScanEnabled,
  };
}

const describeSet = (set: ReceiptRuleSet) => ({
  Metadata: { Name: set.name, CreatedTimestamp: set.createdAt },
  Rules: set.rules.map(describeRule),
});

export async function requireRuleSet(ctx: CallContext, name: string): Promise<ReceiptRuleSet> {
  const set = await getRuleSet(ctx.store, scopeOf(ctx), name);
  if (!set) throw receiptErrors.ruleSetMissing(name);
  return set;
}

const tooMany = () =>
  receiptErrors.limit('Too many rule sets: an account has at most 40 receipt rule sets in a region.');

/** 100 per page (the model's documentation of ListReceiptRuleSets). */
const LIST_PAGE = 100;

export const ruleSetOperations: OperationTable = {
  CreateReceiptRuleSet: op<{ RuleSetName: string }>('CreateReceiptRuleSet', async (ctx, i) => {
    const name = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
    const res = await insertRuleSet(ctx.store, scopeOf(ctx), name, [], ctx.now);
    if (res === 'exists') throw receiptErrors.ruleSetExists(name);
    if (res === 'limit') throw tooMany();
    return {};
  }),
  CloneReceiptRuleSet: op<{ RuleSetName: string; OriginalRuleSetName: string }>(
    'CloneReceiptRuleSet',
    async (ctx, i) => {
      const original = checkName(i.OriginalRuleSetName, 'originalRuleSetName', 'ruleSetName');
      const name = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
      const source = await requireRuleSet(ctx, original);
      const res = await insertRuleSet(ctx.store, scopeOf(ctx), name, source.rules, ctx.now);
      if (res === 'exists') throw receiptErrors.ruleSetExists(name);
      if (res === 'limit') throw tooMany();
      return {};
    },
  ),
  // Deleting a rule set that does not exist succeeds (the model declares only CannotDelete).
  DeleteReceiptRuleSet: op<{ RuleSetName: string }>('DeleteReceiptRuleSet', async (ctx, i) => {
    const name = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
    if ((await deleteRuleSet(ctx.store, scopeOf(ctx), name)) === 'active')
      throw receiptErrors.cannotDeleteActive(name);
    return {};
  }),
  DescribeReceiptRuleSet: op<{ RuleSetName: string }>('DescribeReceiptRuleSet', async (ctx, i) => {
    const name = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
    return describeSet(await requireRuleSet(ctx, name));
  }),
  ListReceiptRuleSets: op<{ NextToken?: string }>('ListReceiptRuleSets', async (ctx, i) => {
    const after = decodeNextToken(i.NextToken);
    if (after === null) throw invalidParameter(texts.invalidNextToken);
    const rows = await listRuleSets(ctx.store, scopeOf(ctx), {
      ...(after !== undefined ? { after } : {}),
      limit: LIST_PAGE + 1,
    });
    const page = toPage(rows, LIST_PAGE, (r) => r.name);
    return {
      RuleSets: page.items.map((r) => ({ Name: r.name, CreatedTimestamp: r.createdAt })),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }),
  // No RuleSetName: receiving is turned off (no rule set is active).
  SetActiveReceiptRuleSet: op<{ RuleSetName?: string }>('SetActiveReceiptRuleSet', async (ctx, i) => {
    const name =
      i.RuleSetName === undefined || i.RuleSetName === ''
        ? undefined
        : checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
    if (!(await setActiveRuleSet(ctx.store, scopeOf(ctx), name)) && name !== undefined)
      throw receiptErrors.ruleSetMissing(name);
    return {};
  }),
  DescribeActiveReceiptRuleSet: op<Record<string, never>>('DescribeActiveReceiptRuleSet', async (ctx) => {
    const name = await activeRuleSetName(ctx.store, scopeOf(ctx));
    const set = name === undefined ? undefined : await getRuleSet(ctx.store, scopeOf(ctx), name);
    return set ? describeSet(set) : {};
  }),
  // Every rule of the set, each once, in the new order.
  ReorderReceiptRuleSet: op<{ RuleSetName: string; RuleNames: string[] }>(
    'ReorderReceiptRuleSet',
    async (ctx, i) => {
      const name = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
      const order = i.RuleNames ?? [];
      const edited = await editRules(ctx.store, scopeOf(ctx), name, (rules) => {
        const byName = new Map(rules.map((r) => [r.Name, r]));
        const seen = new Set<string>();
        for (const n of order) {
          if (!byName.has(n)) throw receiptErrors.ruleMissing(n);
          if (seen.has(n)) throw receiptErrors.invalid(`Rule ${n} appears more than once in RuleNames.`);
          seen.add(n);
        }
        const missing = rules.filter((r) => !seen.has(r.Name)).map((r) => r.Name);
        if (missing.length > 0)
          throw receiptErrors.invalid(
            `RuleNames must list every rule of rule set ${name}; missing: ${missing.join(', ')}.`,
          );
        return order.map((n) => byName.get(n)!);
      });
      if (!edited) throw receiptErrors.ruleSetMissing(name);
      return {};
    },
  ),
};
