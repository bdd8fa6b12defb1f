import type { Command } from 'commander';

/** `sesame policy validate|simulate|explain|lint` (filled in by the policy engine work). */
export function registerPolicyCommands(program: Command): void {
  program.command('policy').description('Validate, simulate and explain IAM policies');
}
