// moto's own receipt-rule tests (tests/test_ses/test_ses.py, `-k receipt`) in server mode against
// Sesame's emulator profile. The test file is not vendored: it is read from a local snapshot of the
// moto repository (SESAME_MOTO_REPO, a git directory; default: the workspace mirror) and the test
// SKIPS, loudly, when there is none. S3, Lambda and IAM calls of those tests reach a real
// moto_server through a router that sends `ses` requests to Sesame (test/support/service-router.ts).
//
// Where moto asserts its own behaviour rather than AWS's, Sesame follows AWS; those cases are
// listed below with the reason, and must fail for exactly that reason.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMotoS3, type MotoS3 } from '../support/inbound.js';
import { startServiceRouter } from '../support/service-router.js';
import { startTestServer, type TestServer } from '../support/server.js';

const REPO = process.env.SESAME_MOTO_REPO ?? '/work/.mirror/getmoto+moto/repo';
const FILES = [
  'tests/__init__.py',
  'tests/test_ses/__init__.py',
  'tests/test_ses/test_ses.py',
  'tests/test_awslambda/__init__.py',
  'tests/test_awslambda/utilities.py',
];

/** pytest's report when Sesame's error code `got` meets moto's expected `want`. */
const CODE = (got: string, want: string) => new RegExp(`^AssertionError: assert '${got}' == '${want}'`);

/** moto-only assertions Sesame does not follow, each with the message the AWS behaviour gives. */
const FOLLOWS_AWS: Record<string, RegExp> = {
  // SES's front end words pattern violations "1 validation error detected: …" (moto drops the
  // prefix); a name that matches the pattern but starts or ends with a non-alphanumeric, or is
  // longer than 64, is InvalidParameterValue "Not a valid ruleSetName: …" (moto: ValidationError).
  'test_create_receipt_rule_set_invalid[having_invalid_characters]':
    /\+ 1 validation error detected: Value at 'ruleSetName' failed to satisfy constraint/,
  'test_create_receipt_rule_set_invalid[invalid_start_character]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  'test_create_receipt_rule_set_invalid[invalid_end_character]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  'test_create_receipt_rule_set_invalid[exceeding_max_length]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  'test_create_receipt_rule_invalid_top_level[invalid_rule_set_name]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  'test_create_receipt_rule_invalid_top_level[invalid_rule_name]': CODE(
    'InvalidParameterValue',
    'ValidationError',
  ),
  // The model gives IAMRoleARN a pattern: a value that is not a role ARN fails it at the front end.
  'test_create_receipt_rule_invalid_action[non_existent_iam_role]': CODE(
    'ValidationError',
    'InvalidParameterValue',
  ),
  // UpdateReceiptRule checks its S3 bucket like CreateReceiptRule (the model declares
  // InvalidS3ConfigurationException for it); moto's test updates to a bucket that does not exist.
  test_update_receipt_rule_actions:
    /\(InvalidS3Configuration\) .*UpdateReceiptRule .*Could not write to bucket: updatedTestBucketName/,
};

function snapshotPresent(): boolean {
  try {
    for (const f of FILES)
      execFileSync('git', ['--git-dir', REPO, 'cat-file', '-e', `HEAD:${f}`], { stdio: 'ignore' });
    execFileSync('python3', ['-m', 'pytest', '--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// `npm run test:compat` asks for this test by name: without its inputs it fails, never skips.
if (!snapshotPresent())
  throw new Error(
    `moto's receipt-rule tests need a moto git snapshot at ${REPO} (set SESAME_MOTO_REPO) and pytest`,
  );

interface Case {
  name: string;
  failure?: string;
}

function parseJunit(xml: string): Case[] {
  const cases: Case[] = [];
  for (const m of xml.matchAll(/<testcase [^>]*name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = m[3] ?? '';
    const failed = /<(failure|error)\b[^>]*message="([^"]*)"/.exec(body);
    const name = m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    cases.push(
      failed
        ? {
            name,
            failure: failed[2]!
              .replace(/&quot;/g, '"')
              .replace(/&apos;/g, "'")
              .replace(/&amp;/g, '&'),
          }
        : { name },
    );
  }
  return cases;
}

describe("moto's receipt-rule tests in server mode", () => {
  let dir: string;
  let moto: MotoS3;
  let server: TestServer;
  let router: Awaited<ReturnType<typeof startServiceRouter>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sesame-moto-tests-'));
    for (const f of FILES) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), execFileSync('git', ['--git-dir', REPO, 'show', `HEAD:${f}`]));
    }
    moto = await startMotoS3();
    server = await startTestServer({
      SESAME_PROFILE: 'emulator',
      SESAME_S3_ENDPOINT: moto.endpoint,
      SESAME_S3_ACCESS_KEY_ID: 'testing',
      SESAME_S3_SECRET_ACCESS_KEY: 'testing',
    });
    router = await startServiceRouter(server.endpoint, moto.endpoint);
  }, 90_000);
  afterAll(async () => {
    await router?.close();
    await server?.stop();
    await moto?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes every receipt-rule test except the moto-only assertions, which fail the AWS way', async () => {
    const report = join(dir, 'report.xml');
    await new Promise<void>((resolve) => {
      execFile(
        'python3',
        [
          '-m',
          'pytest',
          '-p',
          'no:cacheprovider',
          '-q',
          '-k',
          'receipt',
          `--junitxml=${report}`,
          'tests/test_ses/test_ses.py',
        ],
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
    const cases = parseJunit(readFileSync(report, 'utf8'));
    const failed = cases.filter((c) => c.failure !== undefined);
    console.log(
      `moto receipt-rule tests against Sesame: ${cases.length - failed.length} passed, ${failed.length} failed (AWS behaviour)`,
    );
    expect(cases.length).toBe(25);
    expect(failed.map((c) => c.name).sort()).toEqual(Object.keys(FOLLOWS_AWS).sort());
    for (const c of failed) expect(c.failure, c.name).toMatch(FOLLOWS_AWS[c.name]!);
  }, 300_000);
});
