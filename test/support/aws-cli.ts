// Runs the real `aws` CLI (botocore's signer) against a test server: credentials only from the
// environment, no config or credentials file, one attempt. Asynchronous on purpose: the server
// under test lives in the same process and must keep answering while the CLI waits.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface CliCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Environment for botocore-based tools (aws CLI, boto3) that sees nothing of the host's AWS setup. */
export function isolatedAwsEnv(creds: CliCredentials, region = 'us-east-1'): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    ...(creds.sessionToken ? { AWS_SESSION_TOKEN: creds.sessionToken } : {}),
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

let python: Promise<string> | undefined;

/**
 * The real python3 binary behind any version-manager shim (pyenv's shims cost a second per start):
 * asked once per test process, then every tool starts straight from it.
 */
export function pythonExecutable(): Promise<string> {
  python ??= new Promise((resolve) => {
    execFile('python3', ['-c', 'import sys; print(sys.executable)'], (err, stdout) =>
      resolve(err ? 'python3' : stdout.trim()),
    );
  });
  return python;
}

/** How to start the aws CLI: its script under the same python when found there, else `aws` from PATH. */
async function awsCommand(): Promise<[string, string[]]> {
  const exe = await pythonExecutable();
  const script = join(dirname(exe), 'aws');
  return exe !== 'python3' && existsSync(script) ? [exe, [script]] : ['aws', []];
}

/** `aws --endpoint-url URL --region REGION --output json ARGS...` */
export async function runAwsCli(
  endpoint: string,
  creds: CliCredentials,
  args: string[],
  region = 'us-east-1',
): Promise<CliResult> {
  const [command, prefix] = await awsCommand();
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...prefix, '--endpoint-url', endpoint, '--region', region, '--output', 'json', ...args],
      { env: isolatedAwsEnv(creds, region), timeout: 30_000, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ exitCode: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
  });
}
