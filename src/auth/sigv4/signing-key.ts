import { createHmac } from 'node:crypto';
import { KEY_TYPE } from './constants.js';

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secretAccessKey)
    .update(date)
    .digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update(KEY_TYPE).digest();
}

/**
 * A small LRU of derived signing keys, keyed by (secret, date, region, service): the four-HMAC
 * chain runs once per key and day, not once per request. Keyed by the secret itself so a rotated
 * secret never meets a stale key. A Map keeps insertion order; a hit is moved to the end.
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();

  constructor(private readonly maxEntries = 256) {}

  get(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    const id = `${secretAccessKey}\n${date}\n${region}\n${service}`;
    const hit = this.entries.get(id);
    if (hit !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const key = deriveSigningKey(secretAccessKey, date, region, service);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(id, key);
    return key;
  }

  get size(): number {
    return this.entries.size;
  }
}
