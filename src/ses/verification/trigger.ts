// Called by the identity operations after an address identity is created (or re-requested while
// not yet verified): in `email` mode SES mails the verification link; other modes need nothing.
import type { CallContext } from '../../api/operation.js';
import { initialVerificationStatus } from '../state/identities.js';
import { sendVerificationEmail } from './email-link.js';

export async function onEmailIdentityRequested(
  ctx: CallContext,
  identity: string,
  operation: string,
): Promise<void> {
  if (ctx.config.verification !== 'email' || initialVerificationStatus(ctx.config) === 'Success') return;
  await sendVerificationEmail({
    store: ctx.store,
    config: ctx.config,
    accountId: ctx.caller.accountId,
    region: ctx.region,
    principalArn: ctx.caller.principal.arn,
    identity,
    operation,
    apiVersion: ctx.apiVersion ?? (operation === 'CreateEmailIdentity' ? '2' : '1'),
    now: ctx.now,
  });
}
