import { uriEncode } from './uri-encode.js';

/**
 * The canonical URI of a request to any service but S3 (ses, iam, sts): remove empty and '.'
 * segments, resolve '..', then URI-encode each segment of the path *as received*. Because the
 * wire path is already percent-encoded, this encodes twice: `/v2/email/identities/a%40b.com`
 * signs as `/v2/email/identities/a%2540b.com`, which is what SDK v3, botocore and the aws CLI do.
 * (S3 alone signs the path once-encoded and unnormalized; Sesame does not serve S3.)
 */
export function canonicalPath(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return '/' + segments.join('/') + trailing;
}
