// The MX receiver (SESAME_INBOUND_SMTP_PORT) had no connection limits: any peer could hold as many
// sessions as it liked. It now has the submission listener's caps, per address and in all, but no
// authentication deadline (an MX takes mail from anyone, without AUTH). Loopback only, bounded.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

interface Session {
  socket: Socket;
  said(): string;
  closed(): boolean;
}

/** Opens a session from `from` (any 127.x address is this host's) and collects what it is told. */
function session(port: number, from = '127.0.0.1'): Promise<Session> {
  return new Promise((resolve, reject) => {
    let text = '';
    let closed = false;
    const socket = connect({ port, host: '127.0.0.1', localAddress: from }, () =>
      resolve({ socket, said: () => text, closed: () => closed }),
    );
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('close', () => (closed = true));
    socket.once('error', reject);
  });
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

describe('inbound SMTP: sessions per address and in all, no authentication deadline', () => {
  let server: TestServer;
  let port: number;
  const open: Session[] = [];
  beforeAll(async () => {
    server = await startTestServer({
      SESAME_INBOUND_SMTP_MAX_CONNECTIONS_PER_IP: '3',
      SESAME_INBOUND_SMTP_MAX_CONNECTIONS: '5',
      // The submission listener's deadline: it must not apply to the MX.
      SESAME_SMTP_AUTH_TIMEOUT_MS: '300',
    });
    port = server.inboundSmtp!;
  });
  afterAll(async () => {
    for (const s of open) s.socket.destroy();
    await server?.stop();
  });

  it('refuses a fourth session from one address and a sixth in all, and keeps the others', async () => {
    const first = await Promise.all([1, 2, 3].map(() => session(port)));
    open.push(...first);
    await settle();
    for (const s of first) expect(s.said()).toMatch(/^220 /);
    const fourth = await session(port);
    open.push(fourth);
    await settle();
    expect(fourth.said()).toBe('421 Too many connections from your address, try again later\r\n');
    expect(fourth.closed()).toBe(true);

    // Another address has its own allowance, until the total is reached.
    const other = await Promise.all([1, 2].map(() => session(port, '127.0.0.2')));
    open.push(...other);
    await settle();
    for (const s of other) expect(s.said()).toMatch(/^220 /);
    const sixth = await session(port, '127.0.0.3');
    open.push(sixth);
    await settle();
    expect(sixth.said()).toMatch(/^421 .*Too many connected clients, try again in a moment\r\n$/);
    expect(sixth.closed()).toBe(true);

    // No authentication deadline: the sessions outlive the submission listener's 300 ms.
    await settle(1000);
    for (const s of [...first, ...other]) expect(s.closed()).toBe(false);

    // A closed session frees its slot for its address.
    first[0]!.socket.destroy();
    await settle();
    const again = await session(port);
    open.push(again);
    await settle();
    expect(again.said()).toMatch(/^220 /);
  }, 20_000);
});
