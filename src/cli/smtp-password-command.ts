import type { Command } from 'commander';
import { smtpPasswordV4 } from '../auth/smtp-password.js';
import { fail } from './output.js';

/** `sesame smtp-password`: the SES SMTP password (version 4) of a secret access key for a region. */
export function registerSmtpPasswordCommand(program: Command): void {
  program
    .command('smtp-password')
    .description('Derive the SES SMTP password from a secret access key (username = the access key id)')
    .option('--secret-access-key <key>', 'the secret access key (default: $AWS_SECRET_ACCESS_KEY)')
    .option('--region <region>', 'the SMTP endpoint region', process.env.SESAME_REGION ?? 'us-east-1')
    .action((opts: { secretAccessKey?: string; region: string }) => {
      const secret = opts.secretAccessKey ?? process.env.AWS_SECRET_ACCESS_KEY;
      if (!secret) fail('give --secret-access-key or set AWS_SECRET_ACCESS_KEY');
      process.stdout.write(smtpPasswordV4(secret, opts.region) + '\n');
    });
}
