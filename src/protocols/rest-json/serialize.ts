// rest-json responses (docs/spec/ses.md §3.5, §3.6): the output object as a JSON body (members bound to
// headers go to headers), and errors as `x-amzn-ErrorType` + `{"__type","message"}` which both
// botocore and the JS SDK read.

import type { AwsError } from '../../errors/aws-error.js';
import { getOperation, getShape, ModelError, type ServiceModel } from '../model.js';
import { toBuffer, toDate } from '../values.js';
import { toJson } from './json-value.js';

export const REST_JSON_CONTENT_TYPE = 'application/json';

export interface RestJsonResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function headerText(type: string, value: unknown): string {
  if (type === 'timestamp') return toDate(value).toUTCString();
  if (type === 'blob') return toBuffer(value).toString('base64');
  return String(value);
}

export function serializeRestJsonOutput(
  model: ServiceModel,
  operationName: string,
  output: object,
): RestJsonResponse {
  const op = getOperation(model, operationName);
  if (!op) throw new ModelError(`${model.name}: unknown operation ${operationName}`);
  const headers: Record<string, string> = { 'content-type': REST_JSON_CONTENT_TYPE };
  let status = op.http.responseCode ?? 200;
  if (!op.output) return { status, headers, body: '{}' };
  const shape = getShape(model, op.output);
  const src = output as Record<string, unknown>;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = src[name];
    if (v === undefined || v === null) continue;
    const memberType = getShape(model, ref.shape).type;
    if (ref.location === 'header')
      headers[(ref.locationName ?? name).toLowerCase()] = headerText(memberType, v);
    else if (ref.location === 'headers') {
      for (const [k, hv] of Object.entries(v as Record<string, unknown>)) {
        headers[`${ref.locationName ?? ''}${k}`.toLowerCase()] = String(hv);
      }
    } else if (ref.location === 'statusCode') status = Number(v);
  }
  if (shape.payload) {
    const ref = shape.members?.[shape.payload];
    const body = ref ? toJson(model, getShape(model, ref.shape), src[shape.payload]) : undefined;
    return { status, headers, body: body ?? '{}' };
  }
  return { status, headers, body: toJson(model, shape, output) ?? '{}' };
}

/** The error response; botocore takes the code from x-amzn-ErrorType, the JS SDK from either. */
export function serializeRestJsonError(err: AwsError, requestId: string): RestJsonResponse {
  return {
    status: err.httpStatus,
    headers: {
      'x-amzn-ErrorType': err.code,
      'x-amzn-RequestId': requestId,
      'content-type': REST_JSON_CONTENT_TYPE,
    },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}
