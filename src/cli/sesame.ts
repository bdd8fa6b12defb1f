#!/usr/bin/env node
// The `sesame` command: one entry point, one file per command group under cli/.
import { Command } from 'commander';
import { registerPolicyCommands } from './policy-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerAdminCommands } from './admin-command.js';
import { registerAuditCommands } from './audit-command.js';
import { registerSmtpPasswordCommand } from './smtp-password-command.js';
import { exitOnStartupError } from './startup-error.js';

export function buildProgram(): Command {
  const program = new Command('sesame')
    .description('Self-hostable Amazon SES-compatible email service with AWS IAM authorization')
    .version('0.1.0');
  registerServeCommand(program);
  registerPolicyCommands(program);
  registerSmtpPasswordCommand(program);
  registerAdminCommands(program);
  registerAuditCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv).catch(exitOnStartupError);
