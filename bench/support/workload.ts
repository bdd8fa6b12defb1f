// The one SendEmail call every target receives, and the IAM setup both AWS-like targets get: a user
// allowed ses:SendEmail only from one address (StringEquals ses:FromAddress).

export const REGION = 'us-east-1';
export const DOMAIN = 'bench.example.com';
export const FROM = `sender@${DOMAIN}`;
/** Same domain, not in the condition: must be refused by a target that enforces the policy. */
export const FORBIDDEN_FROM = `intruder@${DOMAIN}`;
export const TO = 'recipient@example.net';
export const USER_NAME = 'bench-sender';
export const SEND_PATH = '/v2/email/outbound-emails';

// Resource "*": moto authorizes SES v2 calls against resource "*" only (it has no resource ARN for
// them), so a policy naming the identity ARN would deny everything there. Same policy for both.
export const SEND_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SendFromOneAddress',
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: '*',
      Condition: { StringEquals: { 'ses:FromAddress': FROM } },
    },
  ],
});

/** SMTP counts as ses:SendRawEmail with ApiVersion 2: the same sender, over SMTP only. */
export const SMTP_SEND_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SmtpFromOneAddress',
      Effect: 'Allow',
      Action: 'ses:SendRawEmail',
      Resource: '*',
      Condition: { StringEquals: { 'ses:FromAddress': FROM, 'ses:ApiVersion': '2' } },
    },
  ],
});

export function sendEmailBody(from = FROM): string {
  return JSON.stringify({
    FromEmailAddress: from,
    Destination: { ToAddresses: [TO] },
    Content: {
      Simple: {
        Subject: { Data: 'API benchmark' },
        Body: { Text: { Data: 'Hello from the Sesame API benchmark.' } },
      },
    },
  });
}

export const SEND_HEADERS = { 'content-type': 'application/json' };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A target ready to be measured: where to send, how to sign, and how to take it down. */
export interface Target {
  name: string;
  endpoint: string;
  credentials?: Credentials;
  /** PID of a target that runs in its own process (its CPU time is read from /proc). */
  pid?: number;
  /** Notes printed on stderr (what was checked before measuring). */
  notes: string[];
  stop(): Promise<void>;
}
