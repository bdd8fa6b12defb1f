// Runs a boto3 snippet (`python3 -c`) against a test server. The snippet gets `session` (a
// boto3.Session with the given credentials and region), `client(name)` (a client pointed at the
// server, one attempt) and `out(value)` (prints JSON for the caller); a botocore ClientError is
// reported as {"error": {"Code", "Message"}, "status"} instead of a traceback.
import { execFile } from 'node:child_process';
import { isolatedAwsEnv, pythonExecutable, type CliCredentials } from './aws-cli.js';

const PRELUDE = `
import json, os, sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
session = boto3.Session(region_name=os.environ['AWS_DEFAULT_REGION'])
def client(name):
    return session.client(name, endpoint_url=os.environ['SESAME_ENDPOINT'], config=Config(retries={'max_attempts': 1, 'mode': 'standard'}))
def out(value):
    print(json.dumps(value, default=str))
try:
    exec(compile(os.environ['SESAME_SNIPPET'], 'snippet', 'exec'))
except ClientError as e:
    out({'error': e.response['Error'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']})
`;

export async function runBoto3(
  endpoint: string,
  creds: CliCredentials,
  snippet: string,
  region = 'us-east-1',
): Promise<unknown> {
  const python = await pythonExecutable();
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ['-c', PRELUDE],
      {
        env: { ...isolatedAwsEnv(creds, region), SESAME_ENDPOINT: endpoint, SESAME_SNIPPET: snippet },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`python3 failed: ${stderr || err.message}`));
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? ''));
        } catch {
          reject(new Error(`boto3 snippet printed no JSON: ${stdout}${stderr}`));
        }
      },
    );
  });
}
