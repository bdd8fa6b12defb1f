import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../store/secret-box.js';
import { openUnsubscribeToken, sealUnsubscribeToken, type UnsubscribeScope } from './unsubscribe-token.js';

const scope: UnsubscribeScope = {
  accountId: '111122223333',
  region: 'eu-west-1',
  listName: 'news',
  topicName: 'sports',
  emailAddress: 'Ann.Lee+x@example.com',
  messageId: '010001a250cacc10-4737942f-4d11-4f96-b6a0-61a7c857dfb8-000000',
};

describe('unsubscribe tokens', () => {
  const box = createSecretBox(randomBytes(32));

  it('open to what they were sealed for, with or without a topic, and stay URL-safe and short', () => {
    const token = sealUnsubscribeToken(box, scope);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(250);
    expect(openUnsubscribeToken(box, token)).toEqual(scope);
    const { topicName: _t, ...whole } = scope;
    expect(openUnsubscribeToken(box, sealUnsubscribeToken(box, whole))).toEqual(whole);
    // Sealed afresh each time: two links for one contact do not reveal that they are the same.
    expect(sealUnsubscribeToken(box, scope)).not.toBe(token);
  });

  it('refuse every changed byte, another key, and what is not a token', () => {
    const bytes = Buffer.from(sealUnsubscribeToken(box, scope), 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] = changed[i]! ^ 0x01;
      expect(openUnsubscribeToken(box, changed.toString('base64url'))).toBeUndefined();
    }
    expect(
      openUnsubscribeToken(createSecretBox(randomBytes(32)), bytes.toString('base64url')),
    ).toBeUndefined();
    for (const junk of [
      '',
      'abc',
      'a'.repeat(5000),
      'not a token',
      bytes.subarray(0, 20).toString('base64url'),
    ])
      expect(openUnsubscribeToken(box, junk)).toBeUndefined();
  });
});
