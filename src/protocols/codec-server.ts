// A throwaway HTTP server on 127.0.0.1 that runs only the codecs: decode with the model, answer
// with canned outputs or errors. Tests drive it with the real AWS SDKs and boto3 to prove the wire
// format without any server logic (no auth, no store).

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError, toAwsError } from '../errors/aws-error.js';
import type { ServiceModel } from './model.js';
import {
  parseQueryInput,
  QUERY_CONTENT_TYPE,
  resolveQueryAction,
  serializeQueryError,
  serializeQueryOutput,
} from './query/index.js';
import {
  matchRestJsonRoute,
  parseRestJsonInput,
  serializeRestJsonError,
  serializeRestJsonOutput,
} from './rest-json/index.js';

export interface DecodedCall {
  operation: string;
  input: Record<string, unknown>;
}

/** Per operation: the output to serialize, or the error to answer with. */
export type CannedAnswers = Record<string, object | AwsError>;

export interface CodecServer {
  endpoint: string;
  calls: DecodedCall[];
  answers: CannedAnswers;
  close(): Promise<void>;
}

export const TEST_REQUEST_ID = 'c5f33708-f7da-11e5-9de4-7d09fc8f79d0';

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function answer(answers: CannedAnswers, operation: string): object {
  const a = answers[operation];
  if (a instanceof AwsError) throw a;
  return a ?? {};
}

function queryReply(
  model: ServiceModel,
  calls: DecodedCall[],
  answers: CannedAnswers,
  body: Buffer,
  url: URL,
): Reply {
  const headers = { 'content-type': QUERY_CONTENT_TYPE, 'x-amzn-RequestId': TEST_REQUEST_ID };
  try {
    const params = body.length > 0 ? new URLSearchParams(body.toString('utf8')) : url.searchParams;
    const operation = resolveQueryAction(model, params);
    const input = parseQueryInput(model, operation, params);
    calls.push({ operation, input });
    const xml = serializeQueryOutput(model, operation, answer(answers, operation), TEST_REQUEST_ID);
    return { status: 200, headers, body: xml };
  } catch (e) {
    const err = toAwsError(e);
    return { status: err.httpStatus, headers, body: serializeQueryError(model, err, TEST_REQUEST_ID) };
  }
}

function restJsonReply(
  model: ServiceModel,
  calls: DecodedCall[],
  answers: CannedAnswers,
  req: IncomingMessage,
  body: Buffer,
  url: URL,
): Reply {
  try {
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const route = matchRestJsonRoute(model, req.method ?? 'GET', rawPath);
    if (!route) throw new AwsError('UnknownOperationException', 'Unknown operation', 404);
    const input = parseRestJsonInput(
      model,
      route.operation,
      route.pathParams,
      url.searchParams,
      req.headers,
      body,
    );
    calls.push({ operation: route.operation, input });
    const out = serializeRestJsonOutput(model, route.operation, answer(answers, route.operation));
    return { ...out, headers: { ...out.headers, 'x-amzn-RequestId': TEST_REQUEST_ID } };
  } catch (e) {
    return serializeRestJsonError(toAwsError(e), TEST_REQUEST_ID);
  }
}

export async function startCodecServer(
  model: ServiceModel,
  answers: CannedAnswers = {},
): Promise<CodecServer> {
  const calls: DecodedCall[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const reply =
        model.metadata.protocol === 'query'
          ? queryReply(model, calls, answers, body, url)
          : restJsonReply(model, calls, answers, req, body, url);
      res.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    answers,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
