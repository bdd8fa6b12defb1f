import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretBox, loadOrCreateMasterKey, parseMasterKey } from './secret-box.js';

describe('secret box', () => {
  const box = createSecretBox(Buffer.alloc(32, 7));

  it('seals to an opaque string and opens it again', () => {
    const sealed = box.seal('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(sealed).not.toContain('wJalr');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(box.open(sealed)).toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(box.seal('x')).not.toBe(box.seal('x')); // fresh IV each time
  });

  it('refuses a tampered secret and a wrong key', () => {
    const sealed = box.seal('secret');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('SECRET').toString('base64');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
  });

  it('creates the master key once, mode 0600, and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sesame-key-'));
    const k1 = loadOrCreateMasterKey(dir);
    const k2 = loadOrCreateMasterKey(dir);
    expect(k1.equals(k2)).toBe(true);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(parseMasterKey(readFileSync(join(dir, 'master.key'), 'utf8')).equals(k1)).toBe(true);
    expect(parseMasterKey('00'.repeat(32)).length).toBe(32);
    expect(() => parseMasterKey('short')).toThrow(/32 bytes/);
  });
});
