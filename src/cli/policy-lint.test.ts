import { describe, expect, it } from 'vitest';
import { formatFinding, lintExitCode, lintText } from './policy-lint.js';

const policy = (statement: object): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2);

describe('policy lint report', () => {
  it('one line per finding, then the counts; exit 1 on a warning', () => {
    const r = lintText(
      policy({ Effect: 'Allow', Action: 'ses:SendRawEmails', Resource: '*' }),
      'identity',
      false,
    );
    expect(r.output.split('\n')).toEqual([
      '6:17 warning unknown-action "ses:SendRawEmails" is not an SES action (did you mean "ses:SendRawEmail"?): IAM accepts the name, but no request is ever authorized as it, so this statement allows nothing through it.',
      '0 errors, 1 warning, 0 suggestions',
    ]);
    expect(r.code).toBe(1);
  });
  it('errors carry their detail; exit 1', () => {
    const r = lintText('{"Version": "2012-10-17", "Statement": [}', 'identity', false);
    expect(r.output).toBe(
      [
        `1:41 error invalid-json Syntax errors in policy. (Unexpected character "}")`,
        '1 error, 0 warnings, 0 suggestions',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
  });
  it('suggestions alone exit 0; a clean policy prints only the counts', () => {
    const r = lintText(
      policy({
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: '*',
        Condition: { StringLike: { 'ses:FromDisplayName': 'Marketing' } },
      }),
      'identity',
      false,
    );
    expect(r.code).toBe(0);
    expect(r.output.split('\n').map((l) => l.slice(0, 40))).toEqual([
      '10:34 suggestion like-without-wildcard "',
      '0 errors, 0 warnings, 1 suggestion',
    ]);
    expect(
      lintText(policy({ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }), 'identity', false),
    ).toEqual({
      output: '0 errors, 0 warnings, 0 suggestions',
      code: 0,
    });
  });
  it('--json prints the findings array of lintPolicy', () => {
    const r = lintText(
      policy({ Effect: 'Allow', Principal: '*', Action: 'ses:SendEmail', Resource: '*' }),
      'identity',
      true,
    );
    expect(JSON.parse(r.output)).toEqual([
      {
        code: 'malformed',
        severity: 'error',
        message: 'Policy document should not specify a principal.',
        statement: 0,
        line: 6,
        column: 7,
      },
    ]);
    expect(r.code).toBe(1);
  });
  it('a finding without a position prints "-"', () => {
    expect(formatFinding({ code: 'x', severity: 'warning', message: 'm' })).toBe('- warning x m');
    expect(lintExitCode([{ code: 'x', severity: 'suggestion', message: 'm' }])).toBe(0);
  });
});
