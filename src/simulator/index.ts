// SimulatePrincipalPolicy and SimulateCustomPolicy (docs/spec/iam.md §4.7), merged into IAM's operation table.
import type { Operation, OperationTable } from '../api/operation.js';
import type { CallerPrincipal, NamedPolicy } from '../policy/request.js';
import { callerPrincipal, entityPolicies } from './entity-policies.js';
import { invalidInput, required } from './errors.js';
import {
  actionNames,
  contextFromEntries,
  inputPolicies,
  inputPolicy,
  resourceArns,
  resourceOwnerAccount,
  type ContextEntry,
} from './inputs.js';
import { pagedResults, simulate, type SimulatePolicyResponse } from './simulate.js';

interface SimulateInput {
  PolicyInputList?: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  ActionNames?: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: ContextEntry[];
  ResourceHandlingOption?: string;
  MaxItems?: number;
  Marker?: string;
}

export interface SimulatePrincipalPolicyInput extends SimulateInput {
  PolicySourceArn?: string;
}

function boundaryInput(input: SimulateInput): NamedPolicy | undefined {
  const list = inputPolicies(
    input.PermissionsBoundaryPolicyInputList,
    'PermissionsBoundaryPolicyInputList',
    'boundary',
  );
  // [INF] AWS's wording for more than one boundary input is not recorded.
  if (list.length > 1) throw invalidInput('PermissionsBoundaryPolicyInputList can contain only one policy.');
  return list[0] ? { ...list[0], source: 'none' } : undefined;
}

function resourcePolicyInput(input: SimulateInput): NamedPolicy | undefined {
  return input.ResourcePolicy === undefined
    ? undefined
    : inputPolicy(input.ResourcePolicy, 'ResourcePolicy', 'resource');
}

/**
 * A resource policy's Principal needs a caller to match: CallerArn, or the user PolicySourceArn
 * names (botocore's model: "CallerArn is required if you include a ResourcePolicy").
 */
function requireCaller(
  principal: CallerPrincipal | undefined,
  resourcePolicy: NamedPolicy | undefined,
): void {
  // AWS's text, recorded for a role source simulated with a resource policy.
  if (resourcePolicy && principal?.kind !== 'User')
    throw invalidInput('Invalid caller - Caller must be an IAM user in this context.');
}

const simulatePrincipalPolicy: Operation<SimulatePrincipalPolicyInput, SimulatePolicyResponse> = {
  authorize: (_ctx, input) => [
    { action: 'iam:SimulatePrincipalPolicy', resource: required(input.PolicySourceArn, 'policySourceArn') },
  ],
  handle: async (ctx, input) => {
    const sourceArn = required(input.PolicySourceArn, 'policySourceArn');
    const actions = actionNames(input.ActionNames);
    const entity = await entityPolicies(ctx.store.db, ctx.caller.accountId, sourceArn);
    const extra = inputPolicies(input.PolicyInputList, 'PolicyInputList', 'identity');
    const boundary = boundaryInput(input) ?? entity.permissionsBoundary;
    const resourcePolicy = resourcePolicyInput(input);
    const caller =
      input.CallerArn !== undefined
        ? callerPrincipal(input.CallerArn)
        : entity.kind === 'user'
          ? entity.principal
          : undefined;
    requireCaller(caller, resourcePolicy);
    // Without a resource policy the caller's identity matters to nothing but the owner's default.
    const principal = caller ?? entity.principal ?? entityStandIn(entity.accountId);
    const results = simulate({
      principal,
      identityPolicies: [...entity.identityPolicies, ...extra],
      ...(boundary ? { permissionsBoundary: boundary } : {}),
      ...(resourcePolicy ? { resourcePolicy } : {}),
      ...ownerOf(input.ResourceOwner),
      defaultOwner: principal.accountId ?? entity.accountId,
      actions,
      resources: resourceArns(input.ResourceArns),
      context: contextFromEntries(input.ContextEntries),
    });
    return pagedResults(results, input.Marker, input.MaxItems);
  },
};

const simulateCustomPolicy: Operation<SimulateInput, SimulatePolicyResponse> = {
  authorize: () => [{ action: 'iam:SimulateCustomPolicy', resource: '*' }],
  handle: async (ctx, input) => {
    const policies = inputPolicies(
      required(input.PolicyInputList, 'policyInputList'),
      'PolicyInputList',
      'identity',
    );
    const actions = actionNames(input.ActionNames);
    const account = ctx.caller.accountId;
    const boundary = boundaryInput(input);
    const resourcePolicy = resourcePolicyInput(input);
    const caller = input.CallerArn !== undefined ? callerPrincipal(input.CallerArn) : undefined;
    requireCaller(caller, resourcePolicy);
    // [INF] Without a CallerArn the simulated caller is an IAM user of the calling account.
    const principal = caller ?? entityStandIn(account);
    const results = simulate({
      principal,
      identityPolicies: policies,
      ...(boundary ? { permissionsBoundary: boundary } : {}),
      ...(resourcePolicy ? { resourcePolicy } : {}),
      ...ownerOf(input.ResourceOwner),
      defaultOwner: principal.accountId ?? account,
      actions,
      resources: resourceArns(input.ResourceArns),
      context: contextFromEntries(input.ContextEntries),
    });
    return pagedResults(results, input.Marker, input.MaxItems);
  },
};

/** The simulated caller when none is named (no resource policy needs one). */
const entityStandIn = (accountId: string): CallerPrincipal => ({
  kind: 'User',
  arn: `arn:aws:iam::${accountId}:user/SimulatedUser`,
  accountId,
});

function ownerOf(value: string | undefined): { resourceOwner?: string } {
  const owner = resourceOwnerAccount(value);
  return owner === undefined ? {} : { resourceOwner: owner };
}

export const simulatorOperations: OperationTable = {
  SimulatePrincipalPolicy: simulatePrincipalPolicy,
  SimulateCustomPolicy: simulateCustomPolicy,
};
