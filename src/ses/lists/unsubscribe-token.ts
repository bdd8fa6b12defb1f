// Unsubscribe tokens: what a link stands for (account, region, list, topic, contact and the message
// it came in), sealed with AES-256-GCM under the master key (the secret box every node of a cluster
// shares). Unguessable, unforgeable and bound to its contact: a changed byte fails to open.
import type { SecretBox } from '../../store/secret-box.js';

export interface UnsubscribeScope {
  accountId: string;
  region: string;
  listName: string;
  topicName?: string;
  emailAddress: string;
  messageId: string;
}

// Fields joined by newlines (none may hold one): shorter than JSON, so the links stay short.
const FIELDS = 6;

// The secret box writes `v1:<iv b64>:<tag b64>:<body b64>`; a URL carries the bytes as base64url.
const IV = 12;
const TAG = 16;

export function sealUnsubscribeToken(box: SecretBox, s: UnsubscribeScope): string {
  const plain = [s.accountId, s.region, s.listName, s.topicName ?? '', s.emailAddress, s.messageId].join(
    '\n',
  );
  const [, iv, tag, body] = box.seal(plain).split(':') as [string, string, string, string];
  return Buffer.concat([
    Buffer.from(iv, 'base64'),
    Buffer.from(tag, 'base64'),
    Buffer.from(body, 'base64'),
  ]).toString('base64url');
}

/** The scope a token stands for; undefined for anything that is not one of ours. */
export function openUnsubscribeToken(box: SecretBox, token: string): UnsubscribeScope | undefined {
  if (token.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= IV + TAG) return undefined;
  const b64 = (b: Buffer) => b.toString('base64');
  let fields: string[];
  try {
    const sealed = `v1:${b64(bytes.subarray(0, IV))}:${b64(bytes.subarray(IV, IV + TAG))}:${b64(bytes.subarray(IV + TAG))}`;
    fields = box.open(sealed).split('\n');
  } catch {
    return undefined;
  }
  if (fields.length !== FIELDS) return undefined;
  const [accountId, region, listName, topicName, emailAddress, messageId] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { accountId, region, listName, ...(topicName !== '' ? { topicName } : {}), emailAddress, messageId };
}
