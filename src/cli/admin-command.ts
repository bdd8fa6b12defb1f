import type { Command } from 'commander';
import { fail, print } from './output.js';

// Store-touching modules load inside the actions so that light commands start fast.
const operator = () => import('./operator-store.js');
const accounts = () => import('../accounts/accounts.js');
const sesState = () => import('../ses/state/index.js');

function number(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || (n < 0 && n !== -1)) fail(`${name} must be a number ≥ 0 (or -1 for unlimited)`);
  return n;
}

/** `sesame admin account create|list|production|quota`: the operator's side of accounts. */
export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description('Operator commands (work on the store directly)')
    .option('--init', 'create the store when the data folder or database has none (otherwise refused)')
    .hook('preAction', async (cmd) => {
      if ((cmd.opts() as { init?: boolean }).init) (await operator()).allowStoreCreation();
    });
  const account = admin.command('account').description('Accounts, sandbox and quotas');

  account
    .command('create')
    .description('Create an account and print its root access key (shown once)')
    .option('--account-id <id>', '12 digits; generated when omitted')
    .option('--json', 'print {"AccountId","AccessKeyId","SecretAccessKey"}')
    .action(async (opts: { accountId?: string; json?: boolean }) => {
      const { withOperatorStore } = await operator();
      const { AccountExistsError, createAccount } = await accounts();
      await withOperatorStore(async ({ store, box }) => {
        try {
          const c = await createAccount(store, box, opts.accountId ? { accountId: opts.accountId } : {});
          print(
            !!opts.json,
            c,
            `Account ${c.AccountId}\n  AWS_ACCESS_KEY_ID=${c.AccessKeyId}\n  AWS_SECRET_ACCESS_KEY=${c.SecretAccessKey}`,
          );
        } catch (e) {
          fail(e instanceof AccountExistsError || e instanceof Error ? e.message : String(e));
        }
      });
    });

  account
    .command('list')
    .option('--json', 'JSON output')
    .action(async (opts: { json?: boolean }) => {
      const { withOperatorStore } = await operator();
      const { listAccounts } = await accounts();
      await withOperatorStore(async ({ store }) => {
        const list = await listAccounts(store);
        print(
          !!opts.json,
          list,
          list.map((a) => `${a.AccountId}  created ${a.CreateDate.toISOString()}`).join('\n'),
        );
      });
    });

  account
    .command('production <accountId> <decision>')
    .description('Decide a production-access request: grant or deny (leaves or keeps the sandbox)')
    .option('--region <region>', 'region (default SESAME_REGION)')
    .option('--json', 'JSON output')
    .action(async (accountId: string, decision: string, opts: { region?: string; json?: boolean }) => {
      if (decision !== 'grant' && decision !== 'deny') fail('decision must be grant or deny');
      const { withOperatorStore } = await operator();
      const { decideProductionAccess } = await sesState();
      await withOperatorStore(async ({ store, config }) => {
        const state = await decideProductionAccess(
          store,
          accountId,
          opts.region ?? config.region,
          decision,
          config,
        );
        print(
          !!opts.json,
          state,
          `Account ${accountId}: production access ${decision === 'grant' ? 'granted' : 'denied'} (sandbox: ${state.sandbox})`,
        );
      });
    });

  account
    .command('quota <accountId>')
    .description("Change an account's sending quota in a region")
    .requiredOption('--max-send-rate <n>', 'recipients per second')
    .requiredOption('--max-24-hour-send <n>', 'recipients per rolling 24 hours (-1: unlimited)')
    .option('--region <region>', 'region (default SESAME_REGION)')
    .option('--json', 'JSON output')
    .action(
      async (
        accountId: string,
        opts: { maxSendRate: string; max24HourSend: string; region?: string; json?: boolean },
      ) => {
        const quota = {
          maxSendRate: number(opts.maxSendRate, '--max-send-rate'),
          max24HourSend: number(opts.max24HourSend, '--max-24-hour-send'),
        };
        const { withOperatorStore } = await operator();
        const { setAccountQuota } = await sesState();
        await withOperatorStore(async ({ store, config }) => {
          const state = await setAccountQuota(store, accountId, opts.region ?? config.region, quota, config);
          print(
            !!opts.json,
            state,
            `Account ${accountId}: ${quota.maxSendRate}/s, ${quota.max24HourSend} per 24 hours`,
          );
        });
      },
    );
}
