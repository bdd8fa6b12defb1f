// Running moto's own test files in server mode against Sesame's emulator profile. The test files are
// not vendored: they are read from a local snapshot of the moto repository (SESAME_MOTO_REPO, a git
// directory; default: the workspace mirror), and a missing snapshot fails the run, never skips it
// (`npm run test:compat` asks for these tests by name). Calls of other services (S3, SNS, SQS,
// Lambda, IAM) reach a real moto_server through a router that sends `ses` requests to Sesame
// (test/support/service-router.ts); moto's state reset reaches both.
//
// Where moto asserts its own behaviour rather than AWS's, Sesame follows AWS: each suite lists
// those cases with the reason, and each must fail with exactly the message the AWS behaviour gives.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMotoS3, type MotoS3 } from '../support/inbound.js';
import { startServiceRouter } from '../support/service-router.js';
import { startTestServer, type TestServer } from '../support/server.js';

export const MOTO_REPO = process.env.SESAME_MOTO_REPO ?? '/work/.mirror/getmoto+moto/repo';

/** What moto's SES test files import besides themselves (test_ses.py reads the Lambda helpers). */
export const SES_TEST_FILES = [
  'tests/__init__.py',
  'tests/test_ses/__init__.py',
  'tests/test_ses/test_ses.py',
  'tests/test_awslambda/__init__.py',
  'tests/test_awslambda/utilities.py',
];

/** pytest's report when Sesame's error code `got` meets moto's expected `want`. */
export const CODE = (got: string, want: string) =>
  new RegExp(`^(AssertionError: )?assert '${got}' == '${want}'`);

/** pytest's report of a botocore error `code` raised by `operation` with a message matching `text`. */
export const RAISED = (code: string, operation: string, text: string) =>
  new RegExp(`\\(${code}\\) when calling the ${operation} operation: ${text}`);

/** Throws, naming what is missing, unless the snapshot holds every file and pytest is installed. */
export function requireSnapshot(files: readonly string[], what: string): void {
  try {
    for (const f of files)
      execFileSync('git', ['--git-dir', MOTO_REPO, 'cat-file', '-e', `HEAD:${f}`], { stdio: 'ignore' });
    execFileSync('python3', ['-m', 'pytest', '--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${what} need a moto git snapshot at ${MOTO_REPO} (set SESAME_MOTO_REPO) and pytest`);
  }
}

export interface Case {
  name: string;
  /** pytest's one-line failure message; absent when the case passed. */
  failure?: string;
  skipped?: boolean;
}

const unescape = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export function parseJunit(xml: string): Case[] {
  const cases: Case[] = [];
  for (const m of xml.matchAll(/<testcase [^>]*name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[3] ?? '';
    const failed = /<(failure|error)\b[^>]*message="([^"]*)"/.exec(body);
    const name = unescape(m[1]!);
    if (failed) cases.push({ name, failure: unescape(failed[2]!) });
    else if (/<skipped\b/.test(body)) cases.push({ name, skipped: true });
    else cases.push({ name });
  }
  return cases;
}

/** Sesame (emulator profile), a moto_server and the router in front of both; a folder for the tests. */
export interface MotoStack {
  dir: string;
  endpoint: string;
  /** Writes a file of the moto snapshot (or, with `text`, our own file) into the test folder. */
  place(file: string, text?: string): void;
  /** Runs pytest in server mode on `args`; the cases of its JUnit report. */
  pytest(args: readonly string[]): Promise<Case[]>;
  stop(): Promise<void>;
}

export async function startMotoStack(files: readonly string[]): Promise<MotoStack> {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-moto-tests-'));
  const place = (file: string, text?: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(
      join(dir, file),
      text ?? execFileSync('git', ['--git-dir', MOTO_REPO, 'show', `HEAD:${file}`]),
    );
  };
  for (const f of files) place(f);
  let moto: MotoS3 | undefined;
  let server: TestServer | undefined;
  try {
    moto = await startMotoS3();
    server = await startTestServer({
      SESAME_PROFILE: 'emulator',
      SESAME_S3_ENDPOINT: moto.endpoint,
      SESAME_S3_ACCESS_KEY_ID: 'testing',
      SESAME_S3_SECRET_ACCESS_KEY: 'testing',
    });
  } catch (e) {
    await server?.stop();
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const router = await startServiceRouter(server.endpoint, moto.endpoint);
  let runs = 0;
  return {
    dir,
    endpoint: router.endpoint,
    place,
    pytest: async (args) => {
      const report = join(dir, `report-${++runs}.xml`);
      await new Promise<void>((resolve) => {
        execFile(
          'python3',
          ['-m', 'pytest', '-p', 'no:cacheprovider', '-q', `--junitxml=${report}`, ...args],
          {
            cwd: dir,
            timeout: 240_000,
            env: {
              ...process.env,
              TEST_SERVER_MODE: 'true',
              TEST_SERVER_MODE_ENDPOINT: router.endpoint,
              AWS_ACCESS_KEY_ID: 'testing',
              AWS_SECRET_ACCESS_KEY: 'testing',
              AWS_DEFAULT_REGION: 'us-east-1',
            },
          },
          () => resolve(), // failures are expected; the report says which
        );
      });
      return parseJunit(readFileSync(report, 'utf8'));
    },
    stop: async () => {
      await router.close();
      await server.stop();
      await moto.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The suite's verdict: `total` cases ran, every case passed but those of `followsAws` (and the
 * `skipped` ones, which skip themselves in server mode), and each of those failed with its message.
 */
export function expectOnlyAwsDifferences(
  label: string,
  cases: readonly Case[],
  total: number,
  followsAws: Readonly<Record<string, RegExp>>,
  skipped: readonly string[] = [],
): void {
  const failed = cases.filter((c) => c.failure !== undefined);
  const skips = cases.filter((c) => c.skipped).map((c) => c.name);
  console.log(
    `${label} against Sesame: ${cases.length - failed.length - skips.length} passed, ${failed.length} failed (AWS behaviour), ${skips.length} skipped`,
  );
  expect(cases.length).toBe(total);
  expect(skips.sort()).toEqual([...skipped].sort());
  expect(failed.map((c) => c.name).sort()).toEqual(Object.keys(followsAws).sort());
  for (const c of failed) expect(c.failure, c.name).toMatch(followsAws[c.name]!);
}

/** One pytest run of a suite and what it must show. */
export interface MotoRun {
  title: string;
  /** pytest's arguments: the test file and any `-k` filter. */
  args: string[];
  /** How many cases the run holds. */
  total: number;
  followsAws: Readonly<Record<string, RegExp>>;
  /** Files of our own (path → text) placed in the test folder before the run. */
  place?: Readonly<Record<string, string>>;
}

/**
 * A vitest suite that runs moto's `files` (checked at load: a missing snapshot fails the run) on one
 * stack, one test per run, in order.
 */
export function describeMotoSuite(title: string, files: readonly string[], runs: readonly MotoRun[]): void {
  requireSnapshot(files, title);
  describe(title, () => {
    let stack: MotoStack;
    beforeAll(async () => {
      stack = await startMotoStack(files);
    }, 90_000);
    afterAll(async () => {
      await stack?.stop();
    });
    for (const run of runs)
      it(
        run.title,
        async () => {
          for (const [file, text] of Object.entries(run.place ?? {})) stack.place(file, text);
          const cases = await stack.pytest(run.args);
          expectOnlyAwsDifferences(`moto ${run.args.join(' ')}`, cases, run.total, run.followsAws);
        },
        300_000,
      );
  });
}
