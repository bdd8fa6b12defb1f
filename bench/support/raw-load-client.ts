// A load client lean enough to leave the server its cores: raw keep-alive sockets instead of
// node:http's agent, and SigV4 done with node:crypto (the signing key derived once a day, as an SDK
// caches it) instead of the SDK's signer. Every request is still signed afresh (its own X-Amz-Date,
// canonical request, string to sign and signature) and every answer is read and its status checked.
// Closed loop: `connections` sockets, each with one request in flight.
//
//   node --import tsx bench/support/raw-load-client.ts '<LoadSpec JSON>'   -> one LoadResult JSON line
import { createHash, createHmac } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { percentile, round, type LoadResult, type LoadSpec } from './load-spec.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** Header lines of one signed request (lower-case names, as SigV4 canonicalizes them). */
export function signedHeaderLines(spec: LoadSpec, host: string, path: string, now: Date): string {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers)) headers[k.toLowerCase()] = v;
  headers.host = host;
  const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  if (spec.sign) {
    const { accessKeyId, secretAccessKey, region, service } = spec.sign;
    headers['x-amz-date'] = amzDate;
    const names = Object.keys(headers).sort();
    const canonical = [
      spec.method,
      path,
      '',
      ...names.map((n) => `${n}:${headers[n]!.trim()}`),
      '',
      names.join(';'),
      payloadHash(spec.body),
    ].join('\n');
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${region}/${service}/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`;
    const signature = createHmac('sha256', signingKey(secretAccessKey, day, region, service))
      .update(toSign)
      .digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  }
  headers['content-length'] = String(Buffer.byteLength(spec.body));
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
}

let hashed: { body: string; hash: string } | undefined;
function payloadHash(body: string): string {
  if (hashed?.body !== body) hashed = { body, hash: sha256(body) };
  return hashed.hash;
}

let derived: { id: string; key: Buffer } | undefined;
/** kSigning for the day: an SDK keeps it too (it changes once a day). */
function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const id = `${secret}/${day}/${region}/${service}`;
  if (derived?.id !== id) {
    const k = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
    derived = { id, key: k };
  }
  return derived.key;
}

/** Reads HTTP/1.1 responses off one socket: status and body length (content-length or chunked). */
function responseReader(onResponse: (status: number, body: string) => void) {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      const len = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      let bodyStart = end + 4;
      let body: string;
      if (len) {
        const n = Number(len[1]);
        if (buf.length < bodyStart + n) return;
        body = buf.toString('utf8', bodyStart, bodyStart + n);
        buf = buf.subarray(bodyStart + n);
      } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        const parts: string[] = [];
        for (;;) {
          const lineEnd = buf.indexOf('\r\n', bodyStart);
          if (lineEnd < 0) return;
          const size = parseInt(buf.toString('latin1', bodyStart, lineEnd), 16);
          if (buf.length < lineEnd + 2 + size + 2) return;
          if (size === 0) {
            bodyStart = lineEnd + 4;
            break;
          }
          parts.push(buf.toString('utf8', lineEnd + 2, lineEnd + 2 + size));
          bodyStart = lineEnd + 2 + size + 2;
        }
        body = parts.join('');
        buf = buf.subarray(bodyStart);
      } else {
        body = '';
        buf = buf.subarray(bodyStart);
      }
      onResponse(status, body);
    }
  };
}

export async function runRawLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  if (url.hostname !== '127.0.0.1')
    throw new Error(`load client only talks to 127.0.0.1, not ${url.hostname}`);
  const path = url.pathname + url.search;
  const body = Buffer.from(spec.body);
  const started = performance.now();
  const measureFrom = started + spec.warmupMs;
  const measureTo = measureFrom + spec.durationMs;
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let totalOk = 0;
  let cpuAtStart = process.cpuUsage();
  const cpuTimer = setTimeout(() => (cpuAtStart = process.cpuUsage()), spec.warmupMs);
  const noteError = (what: string, at: number) => {
    if (at < measureFrom || at > measureTo) return;
    errors++;
    if (errorSamples.length < 5) errorSamples.push(what.slice(0, 300));
  };

  const worker = () =>
    new Promise<void>((resolve) => {
      let sock: Socket;
      let t0 = 0;
      let timer: NodeJS.Timeout | undefined;
      const send = () => {
        if (performance.now() >= measureTo) {
          sock.end();
          return resolve();
        }
        const head = `${spec.method} ${path} HTTP/1.1\r\n${signedHeaderLines(spec, url.host, url.pathname, new Date())}\r\n`;
        t0 = performance.now();
        timer = setTimeout(() => sock.destroy(new Error('request timeout')), spec.requestTimeoutMs);
        sock.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
      };
      const open = () => {
        sock = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
        sock.on('connect', send);
        sock.on(
          'data',
          responseReader((status, text) => {
            clearTimeout(timer);
            const t1 = performance.now();
            if (status === spec.expectStatus) {
              totalOk++;
              if (t0 >= measureFrom && t1 <= measureTo) latencies.push(t1 - t0);
            } else noteError(`HTTP ${status}: ${text}`, t1);
            send();
          }),
        );
        sock.on('error', (e) => {
          clearTimeout(timer);
          noteError(`request error: ${e.message}`, performance.now());
        });
        // A closed connection (error, or the server's choice) is reopened while the run lasts.
        sock.on('close', () => {
          clearTimeout(timer);
          if (performance.now() < measureTo) setTimeout(open, 10);
          else resolve();
        });
      };
      open();
    });

  await Promise.all(Array.from({ length: spec.connections }, worker));
  const cpu = process.cpuUsage(cpuAtStart);
  clearTimeout(cpuTimer);
  latencies.sort((a, b) => a - b);
  const sum = latencies.reduce((a, b) => a + b, 0);
  return {
    requests: latencies.length,
    total_ok: totalOk,
    errors,
    rps: round((latencies.length * 1000) / spec.durationMs, 1),
    p50_ms: round(percentile(latencies, 50), 3),
    p90_ms: round(percentile(latencies, 90), 3),
    p99_ms: round(percentile(latencies, 99), 3),
    max_ms: round(latencies[latencies.length - 1] ?? Number.NaN, 3),
    mean_ms: round(latencies.length ? sum / latencies.length : Number.NaN, 3),
    measured_ms: spec.durationMs,
    client_cpu: round((cpu.user + cpu.system) / 1000 / spec.durationMs, 2),
    error_samples: errorSamples,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const raw = process.argv[2];
  if (!raw) {
    process.stderr.write('usage: raw-load-client.ts <LoadSpec JSON>\n');
    process.exit(2);
  }
  runRawLoad(JSON.parse(raw) as LoadSpec).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(`load client failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
