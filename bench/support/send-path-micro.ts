// In-process cost of one v2 SendEmail through the whole API path minus HTTP (dispatch: SigV4,
// parse, IAM, send pipeline, commit, audit), measured serially and with N concurrent requests.
// A quick loop for optimizing the send path without the noise of sockets and a load generator.
//
//   npx tsx bench/support/send-path-micro.ts [--n 3000] [--concurrency 16]
import { parseArgs } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/core/serde';
import { handleApiRequest } from '../../src/http/dispatch.js';
import { startSesameTarget } from './sesame-target.js';
import { REGION, SEND_PATH, sendEmailBody } from './workload.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' } },
});
const N = Number(values.n);
const C = Number(values.concurrency);

const target = await startSesameTarget();
const app = target.app;
const host = new URL(target.endpoint).host;
const body = sendEmailBody();
const signer = new SignatureV4({
  service: 'ses',
  region: REGION,
  credentials: target.credentials!,
  sha256: Hash.bind(null, 'sha256'),
});
const sign = () =>
  signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: host.split(':')[0]!,
      port: Number(host.split(':')[1]),
      path: SEND_PATH,
      headers: { host, 'content-type': 'application/json', 'user-agent': 'micro' },
      body,
    }),
  );
const one = async () => {
  // Freshly signed each time, as clients do (the verifier must not profit from a repeated signature).
  const req = {
    method: 'POST',
    rawUrl: SEND_PATH,
    headers: process.env.DISTINCT
      ? Object.fromEntries(Object.entries((await sign()).headers).map(([k, v]) => [k, [v]]))
      : ((await sign()).headers as Record<string, string>),
    body: Buffer.from(body),
    peerAddress: '127.0.0.1',
    tls: false,
  };
  const r = await handleApiRequest(app, req);
  if (r.status !== 200) throw new Error(`status ${r.status}: ${String(r.body)}`);
};
for (let i = 0; i < 300; i++) await one(); // warm up

const cpu0 = process.cpuUsage();
let t0 = performance.now();
for (let i = 0; i < N; i++) await one();
let ms = performance.now() - t0;
const serialCpu = process.cpuUsage(cpu0);
console.log(
  `serial      ${(ms / N).toFixed(3)} ms/req wall, ${((serialCpu.user + serialCpu.system) / 1000 / N).toFixed(3)} ms/req cpu`,
);

const cpu1 = process.cpuUsage();
t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: C }, async () => {
    while (next++ < N) await one();
  }),
);
ms = performance.now() - t0;
const concCpu = process.cpuUsage(cpu1);
console.log(
  `concurrent  ${(ms / N).toFixed(3)} ms/req wall, ${((concCpu.user + concCpu.system) / 1000 / N).toFixed(3)} ms/req cpu (${C} in flight)`,
);
await target.stop();
