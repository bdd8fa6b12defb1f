// The load generator, run as a child process so its CPU is not the server's CPU, and run the same
// way against every target. Closed loop: `connections` workers, each sends its next request when
// the previous answer has arrived, over a keep-alive agent with exactly `connections` sockets.
// Each request is signed right before it is sent (fresh X-Amz-Date, as the AWS SDK does).
//
//   node --import tsx bench/support/load-client.ts '<LoadSpec JSON>'   -> one LoadResult JSON line
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import { percentile, round, type LoadResult, type LoadSpec } from './load-spec.js';

type Signer = (headers: Record<string, string>) => Promise<Record<string, string>>;

function makeSigner(spec: LoadSpec, url: URL): Signer {
  if (!spec.sign) return async (h) => h;
  const key = spec.sign;
  const signer = new SignatureV4({
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    region: key.region,
    service: key.service,
    sha256: Hash.bind(null, 'sha256'),
  });
  return async (headers) => {
    const signed = await signer.sign({
      method: spec.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: spec.body,
    });
    return signed.headers;
  };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  if (url.hostname !== '127.0.0.1')
    throw new Error(`load client only talks to 127.0.0.1, not ${url.hostname}`);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: spec.connections,
    maxFreeSockets: spec.connections,
  });
  const sign = makeSigner(spec, url);
  const bodyBytes = Buffer.byteLength(spec.body);
  const baseHeaders = { ...spec.headers, host: url.host, 'content-length': String(bodyBytes) };

  const started = performance.now();
  const measureFrom = started + spec.warmupMs;
  const measureTo = measureFrom + spec.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let totalOk = 0;
  const errorSamples: string[] = [];
  let cpuAtStart = process.cpuUsage();
  const cpuTimer = setTimeout(() => {
    cpuAtStart = process.cpuUsage();
  }, spec.warmupMs);

  const noteError = (what: string, at: number) => {
    if (at < measureFrom || at > measureTo) return;
    errors++;
    if (errorSamples.length < 5) errorSamples.push(what.slice(0, 300));
  };

  const once = async (): Promise<void> => {
    const headers = await sign({ ...baseHeaders });
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path: url.pathname + url.search,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const t1 = performance.now();
            if (res.statusCode === spec.expectStatus) {
              totalOk++;
              if (t0 >= measureFrom && t1 <= measureTo) latencies.push(t1 - t0);
            } else {
              noteError(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`, t1);
            }
            resolve();
          });
          res.on('error', (e) => {
            noteError(`response error: ${e.message}`, performance.now());
            resolve();
          });
        },
      );
      req.setTimeout(spec.requestTimeoutMs, () => req.destroy(new Error('request timeout')));
      req.on('error', (e) => {
        noteError(`request error: ${e.message}`, performance.now());
        resolve();
      });
      req.end(spec.body);
    });
  };

  const worker = async () => {
    while (performance.now() < measureTo) {
      await once();
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  const cpu = process.cpuUsage(cpuAtStart);
  clearTimeout(cpuTimer);
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const measuredMs = spec.durationMs;
  const sum = latencies.reduce((a, b) => a + b, 0);
  return {
    requests: latencies.length,
    total_ok: totalOk,
    errors,
    rps: round((latencies.length * 1000) / measuredMs, 1),
    p50_ms: round(percentile(latencies, 50), 3),
    p90_ms: round(percentile(latencies, 90), 3),
    p99_ms: round(percentile(latencies, 99), 3),
    max_ms: round(latencies[latencies.length - 1] ?? Number.NaN, 3),
    mean_ms: round(latencies.length ? sum / latencies.length : Number.NaN, 3),
    measured_ms: measuredMs,
    client_cpu: round((cpu.user + cpu.system) / 1000 / measuredMs, 2),
    error_samples: errorSamples,
  };
}

// Run as a child: spec in argv[2], result as one JSON line on stdout.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const raw = process.argv[2];
  if (!raw) {
    process.stderr.write('usage: load-client.ts <LoadSpec JSON>\n');
    process.exit(2);
  }
  runLoad(JSON.parse(raw) as LoadSpec).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`load client failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
