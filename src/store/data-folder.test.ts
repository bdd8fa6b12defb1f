// The data folder's permissions: a folder Sesame makes, or one that already holds a store or keys,
// is its owner's only; a folder the operator pointed at that holds other things (their home, /tmp,
// a project) keeps its mode: tightening it would lock out everyone else who uses it.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareDataFolder } from './data-folder.js';

const root = mkdtempSync(join(tmpdir(), 'sesame-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('prepareDataFolder', () => {
  it('creates a missing folder for its owner only', () => {
    const dir = join(root, 'new', 'data');
    prepareDataFolder(dir);
    expect(mode(dir)).toBe('700');
  });

  it('tightens an existing Sesame folder (a store or a key in it) and an empty one', () => {
    for (const [name, file] of [
      ['with-db', 'sesame.db'],
      ['with-key', 'master.key'],
      ['empty', undefined],
    ] as const) {
      const dir = join(root, name);
      mkdirSync(dir);
      if (file) writeFileSync(join(dir, file), '');
      chmodSync(dir, 0o755);
      prepareDataFolder(dir);
      expect([name, mode(dir)]).toEqual([name, '700']);
    }
  });

  it('leaves the mode of a shared folder that holds other things alone', () => {
    const dir = join(root, 'shared');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'not Sesame’s');
    chmodSync(dir, 0o1777);
    prepareDataFolder(dir);
    expect((statSync(dir).mode & 0o7777).toString(8)).toBe('1777');
  });
});
