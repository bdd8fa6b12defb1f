// Custom verification email templates: the rules a template must meet and the errors each API gives,
// as probes of AWS reported them (v1 codes; v2 answers BadRequest/NotFound/AlreadyExists/
// LimitExceeded). Where no probe did, marked [INF].
import type { AwsError } from '../../errors/aws-error.js';
import { alreadyExists, badRequest, limitExceeded, notFound, v1Error } from '../errors.js';
import { MAX_CUSTOM_VERIFICATION_TEMPLATES } from './custom-templates.js';

/** "The total size of the email must be less than 10 MB" (model docs). */
export const MAX_TEMPLATE_CONTENT_BYTES = 10 * 1024 * 1024;

export const customTemplateTexts = {
  exists: (n: string) => `Custom verification email template <${n}> already exists`,
  notFound: (n: string) => `Custom verification email template <${n}> does not exist`,
  /** v1 SendCustomVerificationEmail words it shorter. */
  sendNotFound: (n: string) => `Template <${n}> does not exist`,
  fromNotVerified: (a: string) => `The from email address <${a}> is not verified`,
  required: (member: string) => `${member} is required.`,
  successUrl: 'The success redirection URL is invalid',
  failureUrl: 'The failure redirection URL is invalid',
  // [INF] wording not recorded.
  tooLarge: 'Template content must be smaller than 10 MB.',
  limit: `The maximum number of custom verification email templates (${MAX_CUSTOM_VERIFICATION_TEMPLATES}) has been reached.`,
};

export type Api = '1' | '2';

export const templateErrors = {
  exists: (api: Api, n: string): AwsError =>
    api === '1'
      ? v1Error('CustomVerificationEmailTemplateAlreadyExists', customTemplateTexts.exists(n))
      : alreadyExists(customTemplateTexts.exists(n)),
  notFound: (api: Api, n: string): AwsError =>
    api === '1'
      ? v1Error('CustomVerificationEmailTemplateDoesNotExist', customTemplateTexts.notFound(n))
      : notFound(customTemplateTexts.notFound(n)),
  fromNotVerified: (api: Api, message: string): AwsError =>
    api === '1' ? v1Error('FromEmailAddressNotVerified', message) : notFound(message),
  invalid: (api: Api, message: string): AwsError =>
    api === '1' ? v1Error('InvalidParameterValue', message) : badRequest(message),
  content: (api: Api, message: string): AwsError =>
    api === '1' ? v1Error('CustomVerificationEmailInvalidContent', message) : badRequest(message),
  limit: (api: Api): AwsError =>
    api === '1'
      ? v1Error('LimitExceeded', customTemplateTexts.limit)
      : limitExceeded(customTemplateTexts.limit),
};

const redirectUrl = (url: string): boolean => {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

export interface TemplateInput {
  TemplateName?: string;
  FromEmailAddress?: string;
  TemplateSubject?: string;
  TemplateContent?: string;
  SuccessRedirectionURL?: string;
  FailureRedirectionURL?: string;
}

const MEMBERS = [
  'TemplateName',
  'FromEmailAddress',
  'TemplateSubject',
  'TemplateContent',
  'SuccessRedirectionURL',
  'FailureRedirectionURL',
] as const;

/**
 * The fields' own rules, in SES's order: present and not blank (only those given, for v1's partial
 * update), then the content's size, then the redirection URLs. Whether From is verified is the
 * caller's next check.
 */
export function checkTemplateInput(api: Api, i: TemplateInput, partial: boolean): void {
  for (const m of MEMBERS) {
    const v = i[m];
    if (v === undefined && partial) continue;
    if (v === undefined || v.trim() === '')
      throw templateErrors.invalid(api, customTemplateTexts.required(m));
  }
  if (i.TemplateContent !== undefined && Buffer.byteLength(i.TemplateContent) >= MAX_TEMPLATE_CONTENT_BYTES)
    throw templateErrors.content(api, customTemplateTexts.tooLarge);
  if (i.SuccessRedirectionURL !== undefined && !redirectUrl(i.SuccessRedirectionURL))
    throw templateErrors.invalid(api, customTemplateTexts.successUrl);
  if (i.FailureRedirectionURL !== undefined && !redirectUrl(i.FailureRedirectionURL))
    throw templateErrors.invalid(api, customTemplateTexts.failureUrl);
}
