import { it, expect } from 'vitest';
import { MESSAGE_ID_PATTERN, messageIdHeader, newMessageId, rfc5322Date } from './message-id.js';

it('makes SES-shaped, unique MessageIds carrying the time', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const a = newMessageId(now);
  const b = newMessageId(now);
  expect(a).toMatch(MESSAGE_ID_PATTERN);
  expect(a).not.toBe(b);
  expect(a.slice(0, 16)).toBe('0100' + now.getTime().toString(16).padStart(12, '0'));
  expect(a.endsWith('-000000')).toBe(true);
  expect(MESSAGE_ID_PATTERN.test('0100-abc')).toBe(false);
});

it('formats headers', () => {
  expect(messageIdHeader('id', 'eu-west-1')).toBe('<id@eu-west-1.amazonses.com>');
  expect(rfc5322Date(new Date('2026-11-28T09:05:07Z'))).toBe('Sat, 28 Nov 2026 09:05:07 +0000');
});
