import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iamOperations } from './index.js';

describe('iamOperations', () => {
  it('names only operations of the IAM 2010-05-08 model, each with authorize and handle', () => {
    const model = JSON.parse(
      readFileSync(new URL('../../protocols/models/iam.json', import.meta.url), 'utf8'),
    ) as {
      operations: Record<string, unknown>;
    };
    const names = Object.keys(iamOperations);
    expect(names).toHaveLength(69);
    expect(names).toEqual(expect.arrayContaining(['TagPolicy', 'UntagPolicy', 'ListPolicyTags']));
    expect(names).toContain('ListEntitiesForPolicy');
    expect(names.filter((n) => !(n in model.operations))).toEqual([]);
    for (const n of names) {
      expect(typeof iamOperations[n]!.authorize, n).toBe('function');
      expect(typeof iamOperations[n]!.handle, n).toBe('function');
    }
  });
});
