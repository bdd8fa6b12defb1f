import { describe, expect, it } from 'vitest';
import { denialReason, genericDenialMessage, sendPathDenialMessage } from './messages.js';
import type { Decision } from './request.js';

const d = (decision: Decision['decision'], decidedBy: Decision['decidedBy']): Decision => ({
  decision,
  decidedBy,
  matched: [],
  perType: {},
  missingContextKeys: [],
  failedConditions: [],
});

describe('denial messages (docs/spec/ses.md §3.7)', () => {
  it('family A: backtick open, apostrophe close, no reason', () => {
    expect(
      sendPathDenialMessage(
        'arn:aws:iam::123456789012:user/alice',
        'ses:SendRawEmail',
        'arn:aws:ses:eu-west-2:123456789012:identity/example.com',
      ),
    ).toBe(
      "User `arn:aws:iam::123456789012:user/alice' is not authorized to perform `ses:SendRawEmail' on resource `arn:aws:ses:eu-west-2:123456789012:identity/example.com'",
    );
  });
  it('family B: implicit reasons per deciding type', () => {
    const a = 'ses:ListSuppressedDestinations';
    expect(
      genericDenialMessage(
        'arn:aws:sts::315341936575:assumed-role/api/s',
        a,
        '*',
        d('ImplicitDeny', 'identity'),
      ),
    ).toBe(
      'User: arn:aws:sts::315341936575:assumed-role/api/s is not authorized to perform: ses:ListSuppressedDestinations on resource: * because no identity-based policy allows the ses:ListSuppressedDestinations action',
    );
    expect(denialReason(d('ImplicitDeny', 'resource'), a)).toBe(
      `because no resource-based policy allows the ${a} action`,
    );
    expect(denialReason(d('ImplicitDeny', 'boundary'), a)).toBe(
      `because no permissions boundary allows the ${a} action`,
    );
    expect(denialReason(d('ImplicitDeny', 'session'), a)).toBe(
      `because no session policy allows the ${a} action`,
    );
    expect(denialReason(d('ImplicitDeny', 'scp'), a)).toBe(
      `because no service control policy allows the ${a} action`,
    );
    expect(denialReason(d('ImplicitDeny', 'default'), a)).toBe(
      `because no identity-based policy allows the ${a} action`,
    );
  });
  it('family B: explicit reasons with the right article', () => {
    expect(denialReason(d('ExplicitDeny', 'identity'), 'x')).toBe(
      'with an explicit deny in an identity-based policy',
    );
    expect(denialReason(d('ExplicitDeny', 'resource'), 'x')).toBe(
      'with an explicit deny in a resource-based policy',
    );
    expect(denialReason(d('ExplicitDeny', 'boundary'), 'x')).toBe(
      'with an explicit deny in a permissions boundary',
    );
    expect(denialReason(d('ExplicitDeny', 'session'), 'x')).toBe('with an explicit deny in a session policy');
    expect(denialReason(d('ExplicitDeny', 'scp'), 'x')).toBe(
      'with an explicit deny in a service control policy',
    );
  });
  it('no reason for an allowed decision', () => {
    expect(denialReason(d('Allowed', 'identity'), 'x')).toBe('');
  });
});
