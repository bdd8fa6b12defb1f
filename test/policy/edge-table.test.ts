// docs/spec/iam.md §3.8: every row of the edge-case decision table, through the full authorizer.
import { describe, expect, it } from 'vitest';
import { cond } from './helpers.js';

describe('docs/spec/iam.md §3.8 edge-case table', () => {
  it('1. StringEquals is case-sensitive', () => {
    expect(cond({ StringEquals: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JohnDoe' })).toBe(false);
  });
  it('2. StringEqualsIgnoreCase folds case', () => {
    expect(
      cond({ StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JohnDoe' }),
    ).toBe(true);
  });
  it('3. StringNotEquals on an absent key is true', () => {
    expect(cond({ StringNotEquals: { k: 'a' } }, {})).toBe(true);
  });
  it('4. StringEquals on an absent key is false', () => {
    expect(cond({ StringEquals: { k: 'a' } }, {})).toBe(false);
  });
  it('5. StringEqualsIfExists on an absent key is true', () => {
    expect(cond({ StringEqualsIfExists: { k: 'a' } }, {})).toBe(true);
  });
  it('6. Null true / false on an absent key', () => {
    expect(cond({ Null: { k: 'true' } }, {})).toBe(true);
    expect(cond({ Null: { k: 'false' } }, {})).toBe(false);
  });
  it('7. ForAllValues on absent or [] is true', () => {
    expect(cond({ 'ForAllValues:StringEquals': { k: ['a'] } }, {})).toBe(true);
    expect(cond({ 'ForAllValues:StringEquals': { k: ['a'] } }, { k: [] })).toBe(true);
  });
  it('8. ForAnyValue on absent or [] is false', () => {
    expect(cond({ 'ForAnyValue:StringEquals': { k: ['a'] } }, {})).toBe(false);
    expect(cond({ 'ForAnyValue:StringEquals': { k: ['a'] } }, { k: [] })).toBe(false);
  });
  it('9. ForAllValues:StringLike recipients with one outsider is false', () => {
    const c = { 'ForAllValues:StringLike': { 'ses:Recipients': '*@example.com' } };
    expect(cond(c, { 'ses:Recipients': ['a@example.com', 'b@evil.com'] })).toBe(false);
    expect(cond(c, { 'ses:Recipients': ['a@example.com', 'b@example.com'] })).toBe(true);
  });
  it('10. multivalued key without a qualifier is no match', () => {
    expect(cond({ StringEquals: { 'aws:TagKeys': 'a' } }, { 'aws:TagKeys': ['a'] })).toBe(false);
  });
  it('11. StringNotEquals must differ from all values', () => {
    expect(
      cond({ StringNotEquals: { 'aws:PrincipalAccount': ['1', '2'] } }, { 'aws:PrincipalAccount': '1' }),
    ).toBe(false);
    expect(
      cond({ StringNotEquals: { 'aws:PrincipalAccount': ['1', '2'] } }, { 'aws:PrincipalAccount': '3' }),
    ).toBe(true);
  });
  it('12. * may be empty', () => {
    expect(cond({ StringLike: { k: 'a*' } }, { k: 'a' })).toBe(true);
  });
  it('13. ? needs exactly one character', () => {
    expect(cond({ StringLike: { k: 'a?' } }, { k: 'a' })).toBe(false);
    expect(cond({ StringLike: { k: 'a?' } }, { k: 'ab' })).toBe(true);
  });
  it('14. StringEquals has no wildcards', () => {
    expect(cond({ StringEquals: { k: 'a*' } }, { k: 'abc' })).toBe(false);
    expect(cond({ StringEquals: { k: 'a*' } }, { k: 'a*' })).toBe(true);
  });
  it('15. ${*} is a literal star', () => {
    expect(cond({ StringLike: { k: '${*}x' } }, { k: '*x' })).toBe(true);
    expect(cond({ StringLike: { k: '${*}x' } }, { k: 'ax' })).toBe(false);
  });
  it('16. ArnEquals globs per segment', () => {
    expect(
      cond(
        { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:*:1:t' } },
        { 'aws:SourceArn': 'arn:aws:sns:us-east-1:1:t' },
      ),
    ).toBe(true);
  });
  it('17. ArnLike * does not cross colons in the first five segments (StringLike would)', () => {
    const ctx = { k: 'arn:aws:svc:r:2:s/a:1:f/x' };
    expect(cond({ ArnLike: { k: 'arn:aws:svc:*:1:f/*' } }, ctx)).toBe(false);
    expect(cond({ StringLike: { k: 'arn:aws:svc:*:1:f/*' } }, ctx)).toBe(true);
  });
  it('18. epoch values are seconds', () => {
    expect(
      cond(
        { DateLessThan: { 'aws:CurrentTime': '1900000000' } },
        { 'aws:CurrentTime': '2024-01-01T00:00:00Z' },
      ),
    ).toBe(true);
    expect(
      cond(
        { DateLessThan: { 'aws:CurrentTime': '1600000000' } },
        { 'aws:CurrentTime': '2024-01-01T00:00:00Z' },
      ),
    ).toBe(false);
  });
  it('19. date-only means midnight UTC', () => {
    expect(
      cond(
        { DateEquals: { 'aws:CurrentTime': '2024-01-01' } },
        { 'aws:CurrentTime': '2024-01-01T00:00:00Z' },
      ),
    ).toBe(true);
    expect(
      cond(
        { DateEquals: { 'aws:CurrentTime': '2024-01-01' } },
        { 'aws:CurrentTime': '2024-01-01T00:00:01Z' },
      ),
    ).toBe(false);
  });
  it('20. IPv4 without prefix is /32', () => {
    expect(cond({ IpAddress: { 'aws:SourceIp': '10.0.0.1' } }, { 'aws:SourceIp': '10.0.0.1' })).toBe(true);
    expect(cond({ IpAddress: { 'aws:SourceIp': '10.0.0.1' } }, { 'aws:SourceIp': '10.0.0.2' })).toBe(false);
  });
  it('21. IPv6 CIDR with upper-case hex', () => {
    expect(
      cond(
        { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } },
        { 'aws:SourceIp': '2001:db8:1234:5678::1' },
      ),
    ).toBe(true);
  });
  it('22. NumericLessThanEquals includes equality', () => {
    expect(cond({ NumericLessThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10' })).toBe(true);
    expect(cond({ NumericLessThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '11' })).toBe(false);
  });
  it('23. Bool on an absent key is false; BoolIfExists true', () => {
    expect(cond({ Bool: { 'aws:SecureTransport': 'false' } }, {})).toBe(false);
    expect(cond({ BoolIfExists: { 'aws:SecureTransport': 'false' } }, {})).toBe(true);
  });
  it('24. variables are literal text under 2008-10-17', () => {
    const c = { StringEquals: { k: '${aws:username}' } };
    expect(cond(c, { k: '${aws:username}', 'aws:username': 'bob' }, '2008-10-17')).toBe(true);
    expect(cond(c, { k: 'bob', 'aws:username': 'bob' }, '2008-10-17')).toBe(false);
    expect(cond(c, { k: 'bob', 'aws:username': 'bob' })).toBe(true);
  });
  it('25. negated operator against a null variable matches', () => {
    expect(cond({ StringNotEquals: { k: '${aws:PrincipalTag/x}' } }, { k: 'v' })).toBe(true);
    expect(cond({ StringEquals: { k: '${aws:PrincipalTag/x}' } }, { k: 'v' })).toBe(false);
  });
  it('26. a variable default is used when the key is absent', () => {
    expect(cond({ StringLike: { k: "${aws:PrincipalTag/t, 'dflt'}" } }, { k: 'dflt' })).toBe(true);
    expect(
      cond({ StringLike: { k: "${aws:PrincipalTag/t, 'dflt'}" } }, { k: 'dflt', 'aws:PrincipalTag/t': 'x' }),
    ).toBe(false);
  });
  it('27. condition key names are case-insensitive', () => {
    expect(cond({ StringEquals: { 'AWS:USERNAME': 'bob' } }, { 'aws:username': 'bob' })).toBe(true);
    expect(cond({ StringEquals: { 'aws:username': 'bob' } }, { 'AWS:UserName': 'bob' })).toBe(true);
  });
});
