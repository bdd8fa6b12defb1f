// SES v1 receipt rule operations. Checks in SES's order: the names, the rule set, the `After` rule,
// a duplicate name, then the rule itself (syntax, then its targets: Lambda function, IAM role,
// S3 bucket). A role passed in an action is also `iam:PassRole` for the caller, to
// ses.amazonaws.com (the Service Authorization Reference lists it as a dependent action).
import type { AuthorizationCheck, CallContext, Operation, OperationTable } from '../../api/operation.js';
import { receiptErrors, RECEIPT_LIMITS } from './errors.js';
import { checkName } from './names.js';
import { canonicalRule } from './rule-check.js';
import { describeRule, requireRuleSet, scopeOf } from './rule-set-operations.js';
import { editRules } from './rule-sets.js';
import { checkTargets } from './targets.js';
import type { ReceiptRule, ReceiptRuleInput } from './types.js';

interface RuleInput {
  RuleSetName: string;
  Rule: ReceiptRuleInput;
  After?: string;
}

/** ses:<Operation> on `*`, plus iam:PassRole on every role the rule's actions name. */
const withPassRole =
  (operation: string) =>
  (_ctx: CallContext, i: RuleInput): AuthorizationCheck[] => {
    const roles = new Set<string>();
    for (const a of i.Rule?.Actions ?? []) {
      if (a.S3Action?.IamRoleArn) roles.add(a.S3Action.IamRoleArn);
      if (a.ConnectAction?.IAMRoleARN) roles.add(a.ConnectAction.IAMRoleARN);
    }
    return [
      { action: `ses:${operation}`, resource: '*' },
      ...[...roles].map((role) => ({
        action: 'iam:PassRole',
        resource: role,
        context: { 'iam:PassedToService': 'ses.amazonaws.com' },
      })),
    ];
  };

const onAny = (operation: string) => (): AuthorizationCheck[] => [
  { action: `ses:${operation}`, resource: '*' },
];

const indexOf = (rules: readonly ReceiptRule[], name: string) => rules.findIndex((r) => r.Name === name);

/** Inserts `rule` first, or right after the rule named `after`. */
function placed(rules: ReceiptRule[], rule: ReceiptRule, after: string | undefined): ReceiptRule[] {
  const at = after === undefined ? 0 : indexOf(rules, after) + 1;
  return [...rules.slice(0, at), rule, ...rules.slice(at)];
}

const CreateReceiptRule: Operation<RuleInput> = {
  authorize: withPassRole('CreateReceiptRule'),
  async handle(ctx, i) {
    const setName = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
    const ruleName = checkName(i.Rule?.Name, 'rule.name', 'ruleName');
    const after = i.After ? checkName(i.After, 'after', 'ruleName') : undefined;
    const set = await requireRuleSet(ctx, setName);
    if (after !== undefined && indexOf(set.rules, after) < 0) throw receiptErrors.ruleMissing(after);
    if (indexOf(set.rules, ruleName) >= 0) throw receiptErrors.ruleExists(ruleName);
    const rule = canonicalRule(i.Rule, ctx.region);
    await checkTargets(ctx, setName, rule);
    const edited = await editRules(ctx.store, scopeOf(ctx), setName, (rules) => {
      // Checked again under the lock: another call may have changed the set meanwhile.
      if (after !== undefined && indexOf(rules, after) < 0) throw receiptErrors.ruleMissing(after);
      if (indexOf(rules, ruleName) >= 0) throw receiptErrors.ruleExists(ruleName);
      if (rules.length >= RECEIPT_LIMITS.rulesPerSet)
        throw receiptErrors.limit(
          `Too many rules: a receipt rule set has at most ${RECEIPT_LIMITS.rulesPerSet} rules.`,
        );
      return placed(rules, rule, after);
    });
    if (!edited) throw receiptErrors.ruleSetMissing(setName);
    return {};
  },
};

const UpdateReceiptRule: Operation<RuleInput> = {
  authorize: withPassRole('UpdateReceiptRule'),
  async handle(ctx, i) {
    const setName = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
    const ruleName = checkName(i.Rule?.Name, 'rule.name', 'ruleName');
    const set = await requireRuleSet(ctx, setName);
    if (indexOf(set.rules, ruleName) < 0) throw receiptErrors.ruleMissing(ruleName);
    const rule = canonicalRule(i.Rule, ctx.region);
    await checkTargets(ctx, setName, rule);
    // The whole rule is replaced; it keeps its place.
    const edited = await editRules(ctx.store, scopeOf(ctx), setName, (rules) => {
      const at = indexOf(rules, ruleName);
      if (at < 0) throw receiptErrors.ruleMissing(ruleName);
      return rules.map((r, n) => (n === at ? rule : r));
    });
    if (!edited) throw receiptErrors.ruleSetMissing(setName);
    return {};
  },
};

export const ruleOperations: OperationTable = {
  CreateReceiptRule,
  UpdateReceiptRule,
  // Deleting a rule that does not exist succeeds (the model declares only RuleSetDoesNotExist).
  DeleteReceiptRule: {
    authorize: onAny('DeleteReceiptRule'),
    async handle(ctx: CallContext, i: { RuleSetName: string; RuleName: string }) {
      const setName = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
      const ruleName = checkName(i.RuleName, 'ruleName', 'ruleName');
      const edited = await editRules(ctx.store, scopeOf(ctx), setName, (rules) =>
        rules.filter((r) => r.Name !== ruleName),
      );
      if (!edited) throw receiptErrors.ruleSetMissing(setName);
      return {};
    },
  },
  DescribeReceiptRule: {
    authorize: onAny('DescribeReceiptRule'),
    async handle(ctx: CallContext, i: { RuleSetName: string; RuleName: string }) {
      const setName = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
      const ruleName = checkName(i.RuleName, 'ruleName', 'ruleName');
      const set = await requireRuleSet(ctx, setName);
      const rule = set.rules.find((r) => r.Name === ruleName);
      if (!rule) throw receiptErrors.ruleMissing(ruleName);
      return { Rule: describeRule(rule) };
    },
  },
  // Without After the rule moves to the front; after itself, it stays where it is.
  SetReceiptRulePosition: {
    authorize: onAny('SetReceiptRulePosition'),
    async handle(ctx: CallContext, i: { RuleSetName: string; RuleName: string; After?: string }) {
      const setName = checkName(i.RuleSetName, 'ruleSetName', 'ruleSetName');
      const ruleName = checkName(i.RuleName, 'ruleName', 'ruleName');
      const after = i.After ? checkName(i.After, 'after', 'ruleName') : undefined;
      const edited = await editRules(ctx.store, scopeOf(ctx), setName, (rules) => {
        const at = indexOf(rules, ruleName);
        if (at < 0) throw receiptErrors.ruleMissing(ruleName);
        if (after !== undefined && indexOf(rules, after) < 0) throw receiptErrors.ruleMissing(after);
        if (after === ruleName) return rules;
        const rest = rules.filter((_, n) => n !== at);
        return placed(rest, rules[at]!, after);
      });
      if (!edited) throw receiptErrors.ruleSetMissing(setName);
      return {};
    },
  },
};
