import { describe, expect, it } from 'vitest';
import {
  replaceInRaw,
  replacePlaceholder,
  UNSUBSCRIBE_PLACEHOLDER as P,
  withUnsubscribeHeaders,
} from './links.js';

describe('unsubscribe links', () => {
  it('replace the first two placeholders only, even when the URL contains one', () => {
    expect(replacePlaceholder(`a ${P} b ${P} c ${P}`, 'U')).toBe(`a U b U c ${P}`);
    expect(replacePlaceholder(`${P}${P}`, P)).toBe(`${P}${P}`);
    expect(replacePlaceholder('none', 'U')).toBe('none');
  });

  it('replace in raw bytes, keeping non-ASCII bytes as they were', () => {
    const raw = Buffer.concat([Buffer.from(`Subject: x\r\n\r\nh\u00e9 ${P}`, 'utf8')]);
    expect(replaceInRaw(raw, 'http://u/1').toString('utf8')).toBe('Subject: x\r\n\r\nh\u00e9 http://u/1');
  });

  it('put SES’s two headers first, replacing the caller’s', () => {
    const raw = Buffer.from(
      'List-Unsubscribe: <mailto:x@y>\r\nlist-unsubscribe-post: nope\r\nSubject: s\r\n\r\nbody',
    );
    expect(withUnsubscribeHeaders(raw, 'https://u/t').toString()).toBe(
      'List-Unsubscribe: <https://u/t>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nSubject: s\r\n\r\nbody',
    );
  });
});
