// SES SMTP password (version 4, docs/spec/ses.md §6.3): the SigV4 key chain with date "11111111", then
// HMAC of "SendRawEmail", prefixed by the version byte 0x04, base64. Same hash as the signer (WebCrypto
// HMAC in secure contexts, the SDK's JS SHA-256 elsewhere).
import { sha256 } from './api.js';

async function hmac(key: Uint8Array, msg: string): Promise<Uint8Array> {
  const h = new sha256(key);
  h.update(new TextEncoder().encode(msg));
  return h.digest();
}

export async function smtpPassword(secretAccessKey: string, region: string): Promise<string> {
  let key: Uint8Array = new TextEncoder().encode(`AWS4${secretAccessKey}`);
  for (const part of ['11111111', region, 'ses', 'aws4_request', 'SendRawEmail']) key = await hmac(key, part);
  const bytes = new Uint8Array(1 + key.length);
  bytes[0] = 0x04;
  bytes.set(key, 1);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
