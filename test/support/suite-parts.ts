// The parts of the suite that need something from the machine: the console tests need Chromium,
// the PostgreSQL half needs PostgreSQL 15's binaries. A part that cannot run is never skipped in
// silence: the run says so loudly at its start and its end, and under CI=true it fails instead.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface SuitePart {
  name: string;
  /** Why it cannot run here, or undefined when it can. */
  missing?: string;
}

export interface Machine {
  chromium: string;
  postgresBin: string;
}

export const MACHINE: Machine = {
  chromium: '/usr/bin/chromium',
  postgresBin: process.env.SESAME_PG_BIN ?? '/usr/lib/postgresql/15/bin',
};

export interface SuiteParts {
  console: SuitePart;
  postgres: SuitePart;
}

export function suiteParts(env: NodeJS.ProcessEnv, machine: Machine = MACHINE): SuiteParts {
  const postgres =
    env.SESAME_TEST_POSTGRES === '0'
      ? 'SESAME_TEST_POSTGRES=0'
      : existsSync(join(machine.postgresBin, 'initdb'))
        ? undefined
        : `no PostgreSQL binaries in ${machine.postgresBin}`;
  return {
    console: {
      name: 'the console tests (test/console/, a real browser)',
      missing: existsSync(machine.chromium) ? undefined : `no Chromium at ${machine.chromium}`,
    },
    postgres: {
      name: 'every PostgreSQL test (the second store engine, the fault and cluster tests)',
      missing: postgres,
    },
  };
}

/** One loud line per part that will not run. */
export function skipLines(parts: SuiteParts): string[] {
  return Object.values(parts)
    .filter((p) => p.missing !== undefined)
    .map(
      (p) =>
        `!!! SKIPPED: ${p.name}: ${p.missing}. Install it (.ci/run does) or this run proves less than it says.`,
    );
}

/** Under CI=true a part that cannot run fails the run. */
export function enforceParts(parts: SuiteParts, env: NodeJS.ProcessEnv): void {
  const lines = skipLines(parts);
  if (env.CI === 'true' && lines.length > 0)
    throw new Error(`CI=true and parts of the suite cannot run here:\n${lines.join('\n')}`);
}
