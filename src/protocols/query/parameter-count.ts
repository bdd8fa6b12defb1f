// A cap on the number of Query parameters, counted on the raw bytes before anything is decoded:
// parsing costs microseconds per parameter on the event loop, and a 60 MB form body of `a=&` would
// hold it for a minute. The largest legitimate request (SendBulkTemplatedEmail: 50 destinations of
// 50 addresses each, with tags and template data) has a few thousand.
import { AwsError } from '../../errors/aws-error.js';

export const MAX_QUERY_PARAMETERS = 20_000;

function separators(bytes: Buffer | string): number {
  let n = 0;
  if (typeof bytes === 'string') {
    for (let i = bytes.indexOf('&'); i >= 0; i = bytes.indexOf('&', i + 1)) n++;
    return n;
  }
  for (let i = bytes.indexOf(0x26); i >= 0; i = bytes.indexOf(0x26, i + 1)) n++;
  return n;
}

/** Throws ValidationError when the query string and form body hold more parameters than the cap. */
export function checkParameterCount(rawQuery: string, body: Buffer | undefined): void {
  const inQuery = rawQuery === '' ? 0 : separators(rawQuery) + 1;
  const count = inQuery + (body && body.length > 0 ? separators(body) + 1 : 0);
  if (count > MAX_QUERY_PARAMETERS)
    throw new AwsError(
      'ValidationError',
      `The request has ${count} parameters; at most ${MAX_QUERY_PARAMETERS} are accepted.`,
      400,
    );
}
