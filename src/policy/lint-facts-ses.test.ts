import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SES_ACTIONS, SES_CONDITION_KEYS } from './lint-facts-ses.js';

const operations = (file: string): string[] =>
  Object.keys(
    (JSON.parse(readFileSync(`src/protocols/models/${file}`, 'utf8')) as { operations: object }).operations,
  );

describe('SES fact lists', () => {
  it('every SES v1 and v2 operation is an IAM action of the ses prefix', () => {
    const known = new Set(SES_ACTIONS);
    expect(operations('ses.json').filter((o) => !known.has(o))).toEqual([]);
    expect(operations('sesv2.json').filter((o) => !known.has(o))).toEqual([]);
    expect(operations('ses.json')).toHaveLength(71);
  });
  it('no duplicates, and the condition-key actions are actions', () => {
    expect(new Set(SES_ACTIONS.map((a) => a.toLowerCase())).size).toBe(SES_ACTIONS.length);
    for (const k of SES_CONDITION_KEYS) for (const a of k.actions ?? []) expect(SES_ACTIONS).toContain(a);
    expect(SES_ACTIONS).not.toContain('SendRawEmails');
  });
});
