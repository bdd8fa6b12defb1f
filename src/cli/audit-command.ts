import type { Command } from 'commander';
import type { AuditRecord } from '../audit/audit-query.js';

function line(r: AuditRecord): string {
  const who = r.principalArn ?? '-';
  const err = r.errorCode ? ` ${r.errorCode}` : '';
  return `${r.eventTime} ${r.decision.padEnd(15)} ${r.eventSource.split('.')[0]}:${r.eventName} ${who} ${r.resources.join(',') || '-'}${err}`;
}

/** `sesame audit tail`: the newest audit records, optionally following new ones. */
export function registerAuditCommands(program: Command): void {
  program
    .command('audit')
    .description('The audit log: one record per API call or SMTP message')
    .command('tail')
    .option('-n, --lines <n>', 'how many records', '20')
    .option('--account <id>', 'only this account')
    .option('--principal <arn>', 'only this principal')
    .option('--decision <d>', 'Allowed | ExplicitDeny | ImplicitDeny | Unauthenticated')
    .option('-f, --follow', 'keep printing new records')
    .option('--json', 'one JSON record per line')
    .action(
      async (opts: {
        lines: string;
        account?: string;
        principal?: string;
        decision?: string;
        follow?: boolean;
        json?: boolean;
      }) => {
        const filter = { accountId: opts.account, principalArn: opts.principal, decision: opts.decision };
        const show = (r: AuditRecord) =>
          process.stdout.write((opts.json ? JSON.stringify(r) : line(r)) + '\n');
        const { withOperatorStore } = await import('./operator-store.js');
        const { queryAuditEvents } = await import('../audit/audit-query.js');
        await withOperatorStore(async ({ store }) => {
          const recent = await queryAuditEvents(store, { ...filter, limit: Number(opts.lines) || 20 });
          recent.reverse().forEach(show);
          let last = recent.at(-1)?.seq ?? 0;
          while (opts.follow) {
            await new Promise((r) => setTimeout(r, 1000));
            for (const r of await queryAuditEvents(store, { ...filter, afterSeq: last, limit: 1000 })) {
              show(r);
              last = r.seq;
            }
          }
        });
      },
    );
}
