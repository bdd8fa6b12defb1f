import { describe, expect, it } from 'vitest';
import { arnMatch, compileArnPattern, padArnPattern } from './arn.js';

const ID = 'arn:aws:ses:us-east-1:111122223333:identity/example.com';

describe('ARN matching, segment by segment (docs/spec/iam.md §2.3)', () => {
  const cases: [string, string, boolean][] = [
    ['*', ID, true],
    ['*', '*', true],
    [ID, ID, true],
    ['arn:aws:ses:*:111122223333:identity/*', ID, true],
    ['arn:aws:ses:*:identity/example.com', ID, false], // * never crosses ':' in the first five
    ['arn:aws:ses:us-east-1:111122223333:*', ID, true],
    ['arn:aws:logs:r:1:log-group:*', 'arn:aws:logs:r:1:log-group:g:log-stream:s', true], // remainder spans ':'
    ['arn:aws:s3:::bucket/*/test/*', 'arn:aws:s3:::bucket/1/2/3/test/4/object.jpg', true],
    ['arn:aws:s3:::B/*', 'arn:aws:s3:::b/k', false], // case-sensitive
    ['arn:aws:s3:::a.b/*', 'arn:aws:s3:::aXb/k', false], // '.' is literal
    ['arn:aws:ses:us-?ast-1:111122223333:identity/example.com', ID, true],
    ['arn:aws:svc:*:1:f/*', 'arn:aws:svc:r:2:s/a:1:f/x', false],
    ['arn:aws:ses:us-east-1:111122223333:identity/*', '*', false], // request * only matches "*"
    ['arn:*', '*', false],
    ['arn:aws:ses:us-east-1:111122223333:identity/example.co?', ID, true],
  ];
  for (const [p, v, want] of cases) {
    it(`${p} vs ${v} -> ${want}`, () => {
      expect(compileArnPattern(p, false)(v)).toBe(want);
      expect(arnMatch(p, null, v)).toBe(want);
    });
  }

  it('pads short patterns only when asked (identity-type policies)', () => {
    expect(padArnPattern('arn:aws:sqs')).toBe('arn:aws:sqs:*:*:*');
    expect(compileArnPattern('arn:aws:ses', true)(ID)).toBe(true);
    expect(compileArnPattern('arn:aws:ses', false)(ID)).toBe(false);
    expect(compileArnPattern('adf', true)(ID)).toBe(false);
  });

  it('does not treat a non-ARN request value as matching an ARN pattern', () => {
    expect(compileArnPattern('arn:aws:ses:*:*:*', false)('identity/example.com')).toBe(false);
  });
});
