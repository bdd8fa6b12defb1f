// A tiny authoritative DNS server for tests: UDP on 127.0.0.1 (port 0), answers TXT, CNAME, MX and A
// for the names it is given, NXDOMAIN for any other name, no data for other types of a known name.
// A TXT question for a CNAME's name is answered as a recursive resolver would: the CNAME, then the
// target's TXT records (Easy DKIM's `<token>._domainkey` names work that way).
import { createSocket, type Socket } from 'node:dgram';

export interface TestDnsRecords {
  txt?: Record<string, string[]>;
  cname?: Record<string, string>;
  mx?: Record<string, { priority: number; exchange: string }[]>;
  a?: Record<string, string[]>;
}

export interface TestDnsServer {
  /** `127.0.0.1:port`, for Resolver.setServers. */
  address: string;
  records: Required<TestDnsRecords>;
  stop(): Promise<void>;
}

const TYPE_TXT = 16;
const TYPE_CNAME = 5;
const TYPE_MX = 15;
const TYPE_A = 1;

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([Buffer.byteLength(p)]), Buffer.from(p)])),
    Buffer.from([0]),
  ]);
}

function readQuestion(msg: Buffer): { name: string; type: number; end: number } | undefined {
  let off = 12;
  const labels: string[] = [];
  while (off < msg.length) {
    const len = msg[off]!;
    off++;
    if (len === 0) break;
    if (len > 63) return undefined; // no compression in questions
    labels.push(msg.subarray(off, off + len).toString('latin1'));
    off += len;
  }
  if (off + 4 > msg.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(off), end: off + 4 };
}

/** A resource record named as the question (a pointer to it) or, when given, `owner`. */
function record(type: number, rdata: Buffer, owner?: string): Buffer {
  const name = owner === undefined ? Buffer.from([0xc0, 0x0c]) : encodeName(owner);
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2); // IN
  head.writeUInt32BE(60, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([name, head, rdata]);
}

function txtData(value: string): Buffer {
  const bytes = Buffer.from(value);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const c = bytes.subarray(i, i + 255);
    chunks.push(Buffer.from([c.length]), c);
  }
  return Buffer.concat(chunks);
}

export function answer(query: Buffer, records: Required<TestDnsRecords>): Buffer | undefined {
  if (query.length < 12) return undefined;
  const q = readQuestion(query);
  if (!q) return undefined;
  const lower = (m: Record<string, unknown>) => Object.keys(m).some((k) => k.toLowerCase() === q.name);
  const find = <T>(m: Record<string, T>) =>
    Object.entries(m).find(([k]) => k.toLowerCase().replace(/\.$/, '') === q.name)?.[1];
  const known = lower(records.txt) || lower(records.cname) || lower(records.mx) || lower(records.a);
  const answers: Buffer[] = [];
  const target = find(records.cname);
  if (q.type === TYPE_TXT) {
    for (const v of find(records.txt) ?? []) answers.push(record(TYPE_TXT, txtData(v)));
    if (target && answers.length === 0) {
      answers.push(record(TYPE_CNAME, encodeName(target)));
      const at = Object.entries(records.txt).find(
        ([k]) => k.toLowerCase().replace(/\.$/, '') === target.toLowerCase(),
      );
      for (const v of at?.[1] ?? []) answers.push(record(TYPE_TXT, txtData(v), target));
    }
  }
  if (q.type === TYPE_CNAME && target) answers.push(record(TYPE_CNAME, encodeName(target)));
  if (q.type === TYPE_MX)
    for (const m of find(records.mx) ?? []) {
      const pref = Buffer.alloc(2);
      pref.writeUInt16BE(m.priority, 0);
      answers.push(record(TYPE_MX, Buffer.concat([pref, encodeName(m.exchange)])));
    }
  if (q.type === TYPE_A)
    for (const ip of find(records.a) ?? [])
      answers.push(record(TYPE_A, Buffer.from(ip.split('.').map(Number))));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, AA, RD copied, RA; rcode 3 (NXDOMAIN) for unknown names.
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (known ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, query.subarray(12, q.end), ...answers]);
}

export async function startTestDnsServer(initial: TestDnsRecords = {}): Promise<TestDnsServer> {
  const records = {
    txt: { ...initial.txt },
    cname: { ...initial.cname },
    mx: { ...initial.mx },
    a: { ...initial.a },
  };
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const reply = answer(msg, records);
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  return {
    address: `127.0.0.1:${socket.address().port}`,
    records,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
