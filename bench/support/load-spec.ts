// What a load run is and what it measured; shared by the parent (load.ts) and the child
// (load-client.ts) so both sides agree on the JSON they exchange.

export interface SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** SigV4 service name in the credential scope (`ses` for SES v1 and v2). */
  service: string;
}

export interface LoadSpec {
  /** Absolute http://127.0.0.1:PORT/path URL. */
  url: string;
  method: string;
  body: string;
  headers: Record<string, string>;
  /** Sign every request with SigV4 just before sending (as an SDK does); omitted: send as is. */
  sign?: SigningKey;
  /** Concurrent keep-alive connections, each with one request in flight (closed loop). */
  connections: number;
  warmupMs: number;
  durationMs: number;
  requestTimeoutMs: number;
  /** Status that counts as success; anything else (or a socket error) is an error. */
  expectStatus: number;
}

export interface LoadResult {
  /** Successful requests completed inside the measurement window. */
  requests: number;
  /** Successful requests over the whole run, warm-up included (for CPU cost per request). */
  total_ok: number;
  errors: number;
  rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
  measured_ms: number;
  /** Client CPU time / wall time in the window: near 1.0 means the client may be the bottleneck. */
  client_cpu: number;
  /** First few errors, for diagnosis. */
  error_samples: string[];
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
