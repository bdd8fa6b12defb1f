import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enforceParts, skipLines, suiteParts } from './suite-parts.js';

const dir = mkdtempSync(join(tmpdir(), 'sesame-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chromium = join(dir, 'chromium');
writeFileSync(chromium, '');
writeFileSync(join(dir, 'initdb'), '');
const everything = { chromium, postgresBin: dir };
const nothing = { chromium: join(dir, 'no-chromium'), postgresBin: join(dir, 'no-pg') };

describe('parts of the suite that need the machine', () => {
  it('says nothing when everything can run', () => {
    const parts = suiteParts({}, everything);
    expect(skipLines(parts)).toEqual([]);
    expect(() => enforceParts(parts, { CI: 'true' })).not.toThrow();
  });

  it('names each part that cannot run, loudly, with the reason', () => {
    expect(skipLines(suiteParts({}, nothing))).toEqual([
      `!!! SKIPPED: the console tests (test/console/, a real browser): no Chromium at ${nothing.chromium}. Install it (.ci/run does) or this run proves less than it says.`,
      `!!! SKIPPED: every PostgreSQL test (the second store engine, the fault and cluster tests): no PostgreSQL binaries in ${nothing.postgresBin}. Install it (.ci/run does) or this run proves less than it says.`,
    ]);
    expect(skipLines(suiteParts({ SESAME_TEST_POSTGRES: '0' }, everything))).toEqual([
      '!!! SKIPPED: every PostgreSQL test (the second store engine, the fault and cluster tests): SESAME_TEST_POSTGRES=0. Install it (.ci/run does) or this run proves less than it says.',
    ]);
  });

  it('fails the run under CI=true when a part cannot run, and only then', () => {
    const parts = suiteParts({}, { ...everything, chromium: nothing.chromium });
    expect(() => enforceParts(parts, { CI: 'true' })).toThrow(
      /^CI=true and parts of the suite cannot run here:\n!!! SKIPPED: the console tests/,
    );
    expect(() => enforceParts(parts, {})).not.toThrow();
  });

  it('this run: every part can run under CI=true (the global setup would have failed otherwise)', () => {
    if (process.env.CI === 'true') expect(skipLines(suiteParts(process.env))).toEqual([]);
  });
});
