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
    expect(decodeHeaders(Buffer.from('X-Other: 1\r\nSubject:\r\n\r\n'))).toEqual({}); // an empty Subject is none
    const read = (h: string) => decodeHeaders(Buffer.from(`${h}\r\n\r\nbody`));
    // A character split across two encoded words (RFC 2047 forbids it; mailers write it): whole.
    expect(read('Subject: =?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?= =?iso-8859-1?q?_=E9t=E9?=')).toEqual({
      subject: 'café été',
    });
    expect(read('From: =?UTF-8?B?SsM=?= =?UTF-8?B?qXLDtG1l?= <j@x.com>')).toEqual({
      fromName: 'Jérôme',
      fromAddress: 'j@x.com',
    });
    // No address: the name; a group: its first member's address.
    expect(read('From: Just A Name')).toEqual({ fromName: 'Just A Name' });
    expect(read('From: undisclosed-recipients:;')).toEqual({ fromName: 'undisclosed-recipients' });
    expect(read('From: Team: a@x.com, Bob <b@x.com>;')).toEqual({ fromAddress: 'a@x.com' });
    expect(searchText(decodeHeaders(utf8), undefined, ['A@x.org'])).toBe(
      'grüße\nz@example.com\nzoë\na@x.org',
    );
  });
});
