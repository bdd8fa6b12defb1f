// Authorization declarations shared by the v1 and v2 operation tables (docs/spec/ses.md §1.8): the action is
// `ses:` + the operation name; the resource is `*` or a specific SES ARN.
import type { AuthorizationCheck, CallContext } from '../api/operation.js';

export const onAnyResource = (operation: string) => (): AuthorizationCheck[] => [
  { action: `ses:${operation}`, resource: '*' },
];

export const onResource =
  <I>(operation: string, arnOf: (ctx: CallContext, input: I) => string) =>
  (ctx: CallContext, input: I): AuthorizationCheck[] => [
    { action: `ses:${operation}`, resource: arnOf(ctx, input) },
  ];
