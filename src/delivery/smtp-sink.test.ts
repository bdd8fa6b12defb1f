// The test receiver survives its clients: a sending node killed mid-DATA (its connections reset)
// is the sink's everyday weather in the fault tests, never an uncaught error in the test process.
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

function heldDataConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const script = [
      'EHLO client\r\n',
      'MAIL FROM:<a@example.com>\r\n',
      'RCPT TO:<b@example.com>\r\n',
      'DATA\r\n',
    ];
    let replies = '';
    s.on('error', reject);
    s.on('data', (d: Buffer) => {
      replies += d.toString();
      // Greeting, then one command a reply; after 354 send the message and wait (the sink holds it).
      if (/^354 /m.test(replies)) {
        s.write('Subject: x\r\n\r\nbody\r\n.\r\n');
        replies = '';
        setTimeout(() => resolve(s), 50);
      } else if (/\r\n$/.test(replies) && script.length > 0 && /^(220|250) /m.test(replies)) {
        replies = '';
        s.write(script.shift()!);
      }
    });
  });
}

describe('startSmtpSink', () => {
  let sink: SmtpSink | undefined;
  afterAll(async () => sink?.close());

  it('takes clients that vanish mid-conversation (connection reset) without an uncaught error', async () => {
    const uncaught: unknown[] = [];
    const record = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', record);
    try {
      sink = await startSmtpSink({ hold: () => true });
      const sockets = [await heldDataConnection(sink.port), await heldDataConnection(sink.port)];
      expect(sink.held()).toBe(2);
      for (const s of sockets) s.resetAndDestroy();
      await new Promise((r) => setTimeout(r, 200));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
