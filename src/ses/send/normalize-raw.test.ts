import { describe, it, expect } from 'vitest';
import {
  mailparserHeaders,
  normalizeRawMessage,
  parseMessageTagsHeader,
  plainAddressHeaders,
} from './normalize-raw.js';
import { splitHeaders } from './mime-headers.js';
import { normalizeV1SendRawEmail } from './normalize-v1.js';
import { normalizeV2SendEmail } from './normalize-v2.js';

const raw = Buffer.from(
  [
    'X-SES-SOURCE-ARN: arn:aws:ses:us-east-1:222222222222:identity/hdr-source.com',
    'From: a@example.com',
    'X-SES-FROM-ARN: arn:aws:ses:us-east-1:222222222222:identity/first.com',
    'X-SES-FROM-ARN: arn:aws:ses:us-east-1:222222222222:identity/second.com',
    'X-SES-RETURN-PATH-ARN: arn:aws:ses:us-east-1:222222222222:identity/rp.com',
    'X-SES-CONFIGURATION-SET: hdr-set',
    'X-SES-MESSAGE-TAGS: campaign=spring, kind=promo',
    'To: t@x.com',
    'Sender: s@example.com',
    'Subject: hi',
    '',
    'X-SES-IN-BODY: stays',
    '',
  ].join('\r\n'),
);

describe('raw MIME normalization', () => {
  it('honours the first X-SES-* header and strips them all from the stored message', async () => {
    const req = await normalizeRawMessage(raw, { from: 'env@example.com', to: ['t@x.com'] });
    expect(req.arns).toEqual({
      source: 'arn:aws:ses:us-east-1:222222222222:identity/hdr-source.com',
      from: 'arn:aws:ses:us-east-1:222222222222:identity/first.com',
      returnPath: 'arn:aws:ses:us-east-1:222222222222:identity/rp.com',
    });
    expect(req.configurationSetName).toBe('hdr-set');
    expect(req.tags).toEqual([
      { Name: 'campaign', Value: 'spring' },
      { Name: 'kind', Value: 'promo' },
    ]);
    expect(req.sender?.address).toBe('s@example.com');
    const stored = req.entries[0]!.message!.toString();
    expect(stored).not.toMatch(/^X-SES-(SOURCE|FROM|RETURN|CONFIG|MESSAGE)/m);
    expect(stored).toContain('From: a@example.com\r\n');
    // Only headers are touched: a body line that looks like a header stays.
    expect(stored).toContain('\r\n\r\nX-SES-IN-BODY: stays');
    expect(req.size).toBe(raw.length);
  });
  it('lets parameters beat the headers (v1 SendRawEmail)', async () => {
    const req = await normalizeV1SendRawEmail({
      RawMessage: { Data: raw },
      FromArn: 'arn:aws:ses:us-east-1:333333333333:identity/param.com',
      ConfigurationSetName: 'param-set',
      Tags: [{ Name: 'kind', Value: 'param' }],
    });
    expect(req.arns.from).toBe('arn:aws:ses:us-east-1:333333333333:identity/param.com');
    expect(req.arns.source).toBe('arn:aws:ses:us-east-1:222222222222:identity/hdr-source.com');
    expect(req.configurationSetName).toBe('param-set');
    expect(req.tags).toEqual([
      { Name: 'campaign', Value: 'spring' },
      { Name: 'kind', Value: 'param' },
    ]);
  });
  it('v2 FromEmailAddressIdentityArn overrides both X-SES-SOURCE-ARN and X-SES-FROM-ARN', async () => {
    const arn = 'arn:aws:ses:us-east-1:444444444444:identity/example.com';
    const req = await normalizeV2SendEmail({
      FromEmailAddressIdentityArn: arn,
      Content: { Raw: { Data: raw } },
    });
    expect(req.arns.source).toBe(arn);
    expect(req.arns.from).toBe(arn);
    expect(req.arns.returnPath).toBe('arn:aws:ses:us-east-1:222222222222:identity/rp.com');
  });
  it('keeps a message without control headers byte for byte', async () => {
    const plain = Buffer.from('From: a@example.com\r\nTo: t@x.com\r\n\r\nbody');
    const req = await normalizeRawMessage(plain);
    expect(req.entries[0]!.message).toBe(plain);
  });
  it('parses X-SES-MESSAGE-TAGS', () => {
    expect(parseMessageTagsHeader('a=1,b = 2, c')).toEqual([
      { Name: 'a', Value: '1' },
      { Name: 'b', Value: '2' },
      { Name: 'c', Value: '' },
    ]);
  });
});

describe('address headers without mailparser', () => {
  const blocks = [
    'From: sender@example.com\r\nTo: a@example.com\r\n\r\n',
    'From: "Doe, Jane" <jane@example.com>\r\nTo: A <a@example.com>, b@example.com,\r\n  "C Q" <c@example.com>\r\nCc: c@example.com\r\nBcc: d@example.com\r\nSender: s@example.com\r\nReturn-Path: <bounce@example.com>\r\n\r\n',
    'From: alice\r\nTo: undisclosed-recipients:;\r\n\r\n',
    'From: Team: a@example.com, b@example.com;\r\nTo: x@example.com (comment)\r\n\r\n',
    'From: <>\r\nTo: a@example.com <a@example.com>\r\n\r\n',
    'Subject: no addresses\r\n\r\n',
  ];
  for (const block of blocks) {
    it(`reads what mailparser reads: ${JSON.stringify(block.slice(0, 40))}`, async () => {
      const raw = Buffer.from(block);
      const split = splitHeaders(raw);
      const plain = plainAddressHeaders(raw.subarray(0, split.bodyOffset), split.fields);
      expect(plain).toBeDefined();
      const parsed = await mailparserHeaders(raw.subarray(0, split.bodyOffset));
      for (const name of ['from', 'sender', 'return-path', 'to', 'cc', 'bcc']) {
        const a = (plain!.get(name) as { value: unknown } | undefined)?.value;
        const b = (parsed.get(name) as { value: unknown } | undefined)?.value;
        expect(JSON.parse(JSON.stringify(a ?? null))).toEqual(JSON.parse(JSON.stringify(b ?? null)));
      }
    });
  }

  it('leaves encoded words, 8-bit text, punycode and repeated fields to mailparser', () => {
    const plain = (block: string) => {
      const raw = Buffer.from(block);
      const split = splitHeaders(raw);
      return plainAddressHeaders(raw.subarray(0, split.bodyOffset), split.fields);
    };
    expect(plain('From: =?UTF-8?Q?Zo=C3=AB?= <z@example.com>\r\n\r\n')).toBeUndefined();
    expect(plain('From: Zoë <z@example.com>\r\n\r\n')).toBeUndefined();
    expect(plain('From: z@xn--bcher-kva.example\r\n\r\n')).toBeUndefined();
    expect(plain('To: a@example.com\r\nTo: b@example.com\r\n\r\n')).toBeUndefined();
    expect(plain('From: a@example.com\r\n\r\n')).toBeDefined();
  });
});
