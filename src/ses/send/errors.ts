// v1 and v2 speak different error codes for the same failures (docs/spec/ses.md §3.4, §3.6). The pipeline
// throws v1 codes; v2 handlers translate here, and bulk sends turn them into entry statuses.
import { AwsError } from '../../errors/aws-error.js';

const V2: Record<string, { code: string; status: number }> = {
  Throttling: { code: 'TooManyRequestsException', status: 429 },
  AccessDenied: { code: 'AccessDeniedException', status: 403 },
  ConfigurationSetDoesNotExist: { code: 'NotFoundException', status: 404 },
  TemplateDoesNotExist: { code: 'NotFoundException', status: 404 },
  InvalidParameterValue: { code: 'BadRequestException', status: 400 },
  InvalidRenderingParameter: { code: 'BadRequestException', status: 400 },
  MissingRenderingAttribute: { code: 'BadRequestException', status: 400 },
  InvalidTemplate: { code: 'BadRequestException', status: 400 },
  AccountSendingPausedException: { code: 'SendingPausedException', status: 400 },
  ConfigurationSetSendingPausedException: { code: 'SendingPausedException', status: 400 },
};

/** The v2 form of a v1-coded error; codes v2 shares (MessageRejected, ...) pass unchanged. */
export function toV2Error(err: AwsError): AwsError {
  const m = Object.hasOwn(V2, err.code) ? V2[err.code] : undefined;
  return m ? new AwsError(m.code, err.message, m.status) : err;
}

const isDaily = (e: AwsError) => e.code === 'Throttling' && e.message.startsWith('Daily');

/** v1 BulkEmailStatus of an entry that failed. */
export function v1BulkStatus(e: AwsError): string {
  switch (e.code) {
    case 'MessageRejected':
      return 'MessageRejected';
    case 'MailFromDomainNotVerifiedException':
      return 'MailFromDomainNotVerified';
    case 'ConfigurationSetDoesNotExist':
      return 'ConfigurationSetDoesNotExist';
    case 'TemplateDoesNotExist':
      return 'TemplateDoesNotExist';
    case 'Throttling':
      return isDaily(e) ? 'AccountDailyQuotaExceeded' : 'AccountThrottled';
    case 'AccountSendingPausedException':
      return 'AccountSendingPaused';
    case 'ConfigurationSetSendingPausedException':
      return 'ConfigurationSetSendingPaused';
    case 'InvalidParameterValue':
      return 'InvalidParameterValue';
    default:
      return 'Failed';
  }
}

/** v2 BulkEmailStatus of an entry that failed. */
export function v2BulkStatus(e: AwsError): string {
  switch (e.code) {
    case 'MessageRejected':
      return 'MESSAGE_REJECTED';
    case 'MailFromDomainNotVerifiedException':
      return 'MAIL_FROM_DOMAIN_NOT_VERIFIED';
    case 'ConfigurationSetDoesNotExist':
      return 'CONFIGURATION_SET_NOT_FOUND';
    case 'TemplateDoesNotExist':
      return 'TEMPLATE_NOT_FOUND';
    case 'Throttling':
      return isDaily(e) ? 'ACCOUNT_DAILY_QUOTA_EXCEEDED' : 'ACCOUNT_THROTTLED';
    case 'AccountSendingPausedException':
      return 'ACCOUNT_SENDING_PAUSED';
    case 'ConfigurationSetSendingPausedException':
      return 'CONFIGURATION_SET_SENDING_PAUSED';
    case 'InvalidParameterValue':
      return 'INVALID_PARAMETER';
    default:
      return 'FAILED';
  }
}
