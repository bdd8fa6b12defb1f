// Test helper: a simulator operation run as the server runs it (its checks decided first, denials
// included), then handled. Imported by tests only.
import type { CallContext } from '../api/operation.js';
import { authorizeChecks } from '../authz/index.js';
import { simulatorOperations } from './index.js';
import type { SimulatePolicyResponse } from './simulate.js';

export async function sim(
  ctx: CallContext,
  name: string,
  input: Record<string, unknown>,
): Promise<SimulatePolicyResponse> {
  const op = simulatorOperations[name]!;
  authorizeChecks(ctx, await op.authorize!(ctx, input), 'generic');
  return op.handle(ctx, input);
}
