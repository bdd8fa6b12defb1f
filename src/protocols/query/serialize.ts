// AWS Query responses (docs/spec/ses.md §3.3, §3.4): the success document
//   <OpResponse xmlns=NS><OpResult>…</OpResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></OpResponse>
// and the error document <ErrorResponse xmlns=NS><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>.
// NS is the model's xmlNamespace (SES, IAM and STS each have their own). Served as text/xml.

import type { AwsError } from '../../errors/aws-error.js';
import { getOperation, getShape, ModelError, type ServiceModel } from '../model.js';
import { escapeXml, xmlContent } from './xml-value.js';

export const QUERY_CONTENT_TYPE = 'text/xml';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

function namespaceOf(model: ServiceModel): string {
  const ns = model.metadata.xmlNamespace;
  if (!ns) throw new ModelError(`${model.name} has no xmlNamespace: not a Query service`);
  return ns;
}

/**
 * The success document of `operationName`. Operations with a result wrapper get `<OpResult>` (empty
 * when the output has no members); operations without one carry only ResponseMetadata.
 */
export function serializeQueryOutput(
  model: ServiceModel,
  operationName: string,
  output: object,
  requestId: string,
): string {
  const op = getOperation(model, operationName);
  if (!op) throw new ModelError(`${model.name}: unknown operation ${operationName}`);
  let result = '';
  if (op.output && op.resultWrapper) {
    const body = xmlContent(model, getShape(model, op.output), output);
    result = body === '' ? `<${op.resultWrapper}/>` : `<${op.resultWrapper}>${body}</${op.resultWrapper}>`;
  }
  const tag = `${operationName}Response`;
  return (
    `${XML_DECLARATION}<${tag} xmlns="${namespaceOf(model)}">${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${tag}>`
  );
}

/** The error document; the HTTP status to send with it is `err.httpStatus`. */
export function serializeQueryError(model: ServiceModel, err: AwsError, requestId: string): string {
  return (
    `${XML_DECLARATION}<ErrorResponse xmlns="${namespaceOf(model)}"><Error>` +
    `<Type>${err.type}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
    `</Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}
