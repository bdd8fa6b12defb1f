// SESAME_SMTP_MAX_CONNECTIONS is "open SMTP sessions in all", but each listener (STARTTLS, implicit
// TLS, a VPC endpoint's) applied it on its own, so the server held that many per listener. The
// sessions of every submission listener now count against one total. Loopback only, bounded.
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

interface Session {
  socket: Socket;
  said(): string;
  closed(): boolean;
}

function watch(socket: Socket): Session {
  let text = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  return { socket, said: () => text, closed: () => closed };
}

const plain = (port: number, from: string) =>
  new Promise<Session>((resolve, reject) => {
    const s = connectTcp({ port, host: '127.0.0.1', localAddress: from }, () => resolve(watch(s)));
    s.once('error', reject);
  });

const implicit = (port: number, from: string) =>
  new Promise<Session>((resolve, reject) => {
    const tcp = connectTcp({ port, host: '127.0.0.1', localAddress: from });
    const s = connectTls({ socket: tcp, rejectUnauthorized: false }, () => resolve(watch(s)));
    s.once('error', reject);
  });

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

describe('SMTP: one total for every submission listener', () => {
  let server: TestServer;
  const open: Session[] = [];
  beforeAll(async () => {
    server = await startTestServer({
      SESAME_SMTP_MAX_CONNECTIONS: '3',
      SESAME_SMTP_MAX_CONNECTIONS_PER_IP: '10',
    });
  });
  afterAll(async () => {
    for (const s of open) s.socket.destroy();
    await server?.stop();
  });

  it('refuses a session on the implicit-TLS listener once the STARTTLS one holds the rest of the total', async () => {
    const first = [
      await plain(server.smtp.starttls!, '127.0.0.1'),
      await plain(server.smtp.starttls!, '127.0.0.2'),
      await implicit(server.smtp.implicit!, '127.0.0.3'),
    ];
    open.push(...first);
    await settle();
    for (const s of first) expect(s.said()).toMatch(/^220 /);
    const fourth = await implicit(server.smtp.implicit!, '127.0.0.4');
    open.push(fourth);
    await settle();
    expect(fourth.said()).toBe('421 Too many connections, try again later\r\n');
    expect(fourth.closed()).toBe(true);
    // A session that ends frees its place for any listener.
    first[0]!.socket.destroy();
    await settle();
    const again = await implicit(server.smtp.implicit!, '127.0.0.4');
    open.push(again);
    await settle();
    expect(again.said()).toMatch(/^220 /);
  }, 20_000);
});
