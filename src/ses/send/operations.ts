// The send operations of SES v1 and v2: translate input -> SendRequest -> pipeline -> output.
// They carry no `authorize`: the pipeline authorizes itself (its resources depend on lookups).
import type { CallContext, OperationTable } from '../../api/operation.js';
import { isAwsError } from '../../errors/aws-error.js';
import { toV2Error, v1BulkStatus, v2BulkStatus } from './errors.js';
import {
  normalizeV1SendBounce,
  normalizeV1SendBulkTemplatedEmail,
  normalizeV1SendEmail,
  normalizeV1SendRawEmail,
  normalizeV1SendTemplatedEmail,
  type V1SendBounceInput,
  type V1SendBulkTemplatedEmailInput,
  type V1SendEmailInput,
  type V1SendRawEmailInput,
  type V1SendTemplatedEmailInput,
} from './normalize-v1.js';
import {
  normalizeV2SendBulkEmail,
  normalizeV2SendEmail,
  type V2SendBulkEmailInput,
  type V2SendEmailInput,
} from './normalize-v2.js';
import { acceptSend, defaultSendDeps, type SendDeps } from './pipeline.js';
import type { SendRequest } from './send-request.js';
import { sendContext } from './endpoint.js';

async function single(ctx: CallContext, req: SendRequest, deps: SendDeps): Promise<{ MessageId: string }> {
  const { messageIds } = await acceptSend(ctx, req, deps);
  return { MessageId: messageIds[0] ?? '' };
}

/** v2 handlers answer in v2's error codes. */
async function v2<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw isAwsError(e) ? toV2Error(e) : e;
  }
}

export function createV1SendOperations(deps: SendDeps = defaultSendDeps): OperationTable {
  return {
    SendEmail: {
      handle: async (ctx, input: V1SendEmailInput) => single(ctx, await normalizeV1SendEmail(input), deps),
    },
    SendRawEmail: {
      handle: async (ctx, input: V1SendRawEmailInput) =>
        single(ctx, await normalizeV1SendRawEmail(input), deps),
    },
    SendTemplatedEmail: {
      handle: async (ctx, input: V1SendTemplatedEmailInput) =>
        single(ctx, normalizeV1SendTemplatedEmail(input), deps),
    },
    SendBulkTemplatedEmail: {
      handle: async (ctx, input: V1SendBulkTemplatedEmailInput) => {
        const { results } = await acceptSend(ctx, normalizeV1SendBulkTemplatedEmail(input), deps);
        return {
          Status: results.map((r) =>
            'messageId' in r
              ? { Status: 'Success', MessageId: r.messageId }
              : { Status: v1BulkStatus(r.error), Error: r.error.message },
          ),
        };
      },
    },
    SendBounce: {
      handle: async (ctx, input: V1SendBounceInput) => single(ctx, await normalizeV1SendBounce(input), deps),
    },
  };
}

export function createV2SendOperations(deps: SendDeps = defaultSendDeps): OperationTable {
  return {
    SendEmail: {
      handle: (ctx, input: V2SendEmailInput) =>
        v2(async () =>
          single(await sendContext(ctx, input.EndpointId), await normalizeV2SendEmail(input), deps),
        ),
    },
    SendBulkEmail: {
      handle: (ctx, input: V2SendBulkEmailInput) =>
        v2(async () => {
          const sendCtx = await sendContext(ctx, input.EndpointId);
          const { results } = await acceptSend(sendCtx, normalizeV2SendBulkEmail(input), deps);
          return {
            BulkEmailEntryResults: results.map((r) =>
              'messageId' in r
                ? { Status: 'SUCCESS', MessageId: r.messageId }
                : { Status: v2BulkStatus(r.error), Error: r.error.message },
            ),
          };
        }),
    },
  };
}

export const sesV1SendOperations: OperationTable = createV1SendOperations();
export const sesV2SendOperations: OperationTable = createV2SendOperations();
