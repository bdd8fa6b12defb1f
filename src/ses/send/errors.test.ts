import { it, expect } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { toV2Error, v1BulkStatus, v2BulkStatus } from './errors.js';

it.each([
  ['Throttling', 'TooManyRequestsException', 429],
  ['AccessDenied', 'AccessDeniedException', 403],
  ['ConfigurationSetDoesNotExist', 'NotFoundException', 404],
  ['TemplateDoesNotExist', 'NotFoundException', 404],
  ['InvalidParameterValue', 'BadRequestException', 400],
  ['AccountSendingPausedException', 'SendingPausedException', 400],
  ['MessageRejected', 'MessageRejected', 400],
])('maps v1 %s to v2 %s (%i), keeping the message', (v1, v2, status) => {
  const e = toV2Error(new AwsError(v1, 'msg', v1 === 'AccessDenied' ? 403 : 400));
  expect([e.code, e.httpStatus, e.message]).toEqual([v2, status, 'msg']);
});

it('turns entry failures into bulk statuses', () => {
  const daily = new AwsError('Throttling', 'Daily message quota exceeded.');
  const rate = new AwsError('Throttling', 'Maximum sending rate exceeded.');
  expect([
    v1BulkStatus(daily),
    v1BulkStatus(rate),
    v1BulkStatus(new AwsError('MissingRenderingAttribute', 'x')),
  ]).toEqual(['AccountDailyQuotaExceeded', 'AccountThrottled', 'Failed']);
  expect([
    v2BulkStatus(daily),
    v2BulkStatus(rate),
    v2BulkStatus(new AwsError('InvalidParameterValue', 'x')),
  ]).toEqual(['ACCOUNT_DAILY_QUOTA_EXCEEDED', 'ACCOUNT_THROTTLED', 'INVALID_PARAMETER']);
});
