import { describe, expect, it } from 'vitest';
import { decodeHeaders, searchText } from './decoded-headers.js';

describe('decodeHeaders', () => {
  it('decodes encoded words, quoted names, folded and raw UTF-8 fields, from the header block only', () => {
    const raw = Buffer.from(
      [
        'From: "Doe, Jane" <Jane@Example.com>',
        'Subject: =?UTF-8?B?SMOpbGxv?= =?UTF-8?Q?_w=C3=B6rld?=',
        ' and more',
        'Subject: the second Subject is not the one read',
        '',
        'Subject: a body line is no header',
      ].join('\r\n'),
    );
    expect(decodeHeaders(raw)).toEqual({
      subject: 'Héllo wörld and more',
      fromName: 'Doe, Jane',
      fromAddress: 'Jane@Example.com',
    });
    const utf8 = Buffer.from('From: Zoë <z@example.com>\nSubject: Grüße\n\nbody', 'utf8');
    expect(decodeHeaders(utf8)).toEqual({ subject: 'Grüße', fromName: 'Zoë', fromAddress: 'z@example.com' });
    expect(decodeHeaders(Buffer.from('X-Other: 1\r\n\r\n'))).toEqual({});
    expect(searchText(decodeHeaders(utf8), undefined, ['A@x.org'])).toBe(
      'grüße\nz@example.com\nzoë\na@x.org',
    );
  });
});
