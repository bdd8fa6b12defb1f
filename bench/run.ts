// `npm run bench`: every benchmark in one run. stdout carries only machine-readable JSON, one line
// per result (a benchmark that is missing, fails or overruns gets a {"bench", "skipped"} line);
// everything meant for people goes to stderr.
//
//   npm run bench [-- --only api,policy]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { installExitHooks, stopAllProcesses } from './support/processes.js';

interface Entry {
  name: string;
  file: string;
  exportName: string;
  args: unknown[];
  /** Upper bound on one benchmark's run time. */
  budgetMs: number;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

const ENTRIES: Entry[] = [
  { name: 'policy', file: `policy.bench${EXT}`, exportName: 'runPolicyBench', args: [], budgetMs: 180_000 },
  { name: 'lint', file: `lint.bench${EXT}`, exportName: 'runLintBench', args: [], budgetMs: 60_000 },
  { name: 'what-if', file: `what-if.bench${EXT}`, exportName: 'runWhatIfBench', args: [], budgetMs: 180_000 },
  { name: 'api', file: `api.bench${EXT}`, exportName: 'runApiBench', args: [{}], budgetMs: 240_000 },
  {
    name: 'smtp',
    file: `smtp-sesame.bench${EXT}`,
    exportName: 'runSmtpBenchOnSesame',
    args: [],
    budgetMs: 180_000,
  },
  {
    name: 'smtp-node',
    file: `smtp-node.bench${EXT}`,
    exportName: 'runSmtpNodeBench',
    args: [{}],
    budgetMs: 240_000,
  },
  {
    name: 'delivery',
    file: `delivery.bench${EXT}`,
    exportName: 'runDeliveryBench',
    args: [],
    budgetMs: 180_000,
  },
  {
    name: 'capture',
    file: `capture.bench${EXT}`,
    exportName: 'runCaptureBench',
    args: [{}],
    budgetMs: 120_000,
  },
  {
    name: 'inbound',
    file: `inbound.bench${EXT}`,
    exportName: 'runInboundBench',
    args: [{}],
    budgetMs: 300_000,
  },
  { name: 'node', file: `node.bench${EXT}`, exportName: 'runNodeBench', args: [{}], budgetMs: 300_000 },
  {
    name: 'scale-out',
    file: `scale-out.bench${EXT}`,
    exportName: 'runScaleOutBench',
    args: [{}],
    budgetMs: 240_000,
  },
  {
    name: 'inbound-accept',
    file: `inbound.bench${EXT}`,
    exportName: 'runInboundBench',
    args: [{ acceptOnly: true }],
    budgetMs: 240_000,
  },
];

const realStdoutWrite = process.stdout.write.bind(process.stdout);
const note = (line: string) => process.stderr.write(`${line}\n`);
const emit = (obj: object) => realStdoutWrite(`${JSON.stringify(obj)}\n`);

/** While a benchmark runs, anything it prints to stdout goes to stderr: stdout stays JSON only. */
function guardStdout(): () => void {
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  return () => {
    process.stdout.write = realStdoutWrite;
  };
}

function withBudget<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, overrun]).finally(() => clearTimeout(timer));
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function runEntry(entry: Entry): Promise<void> {
  const path = join(HERE, entry.file);
  const skip = (reason: string) => {
    note(`bench ${entry.name}: skipped: ${reason}`);
    emit({ bench: entry.name, skipped: true, reason });
  };
  if (!existsSync(path)) return skip(`${entry.file} is not present`);
  let fn: unknown;
  try {
    fn = ((await import(pathToFileURL(path).href)) as Record<string, unknown>)[entry.exportName];
  } catch (e) {
    return skip(`${entry.file} failed to load: ${message(e)}`);
  }
  if (typeof fn !== 'function') return skip(`${entry.file} does not export ${entry.exportName}()`);

  note(`bench ${entry.name}: running`);
  const started = Date.now();
  const restore = guardStdout();
  let result: unknown;
  try {
    result = await withBudget(
      Promise.resolve((fn as (...a: unknown[]) => unknown)(...entry.args)),
      entry.budgetMs,
    );
  } catch (e) {
    restore();
    return skip(`${entry.exportName}() threw: ${message(e)}`);
  } finally {
    restore();
  }
  note(`bench ${entry.name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const rows = Array.isArray(result) ? result : [result];
  for (const row of rows) {
    if (row && typeof row === 'object') emit('bench' in row ? row : { bench: entry.name, ...row });
    else emit({ bench: entry.name, result: row ?? null });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const only = values.only?.split(',').map((s) => s.trim());
  for (const name of only ?? []) {
    if (!ENTRIES.some((e) => e.name === name))
      throw new Error(`unknown benchmark "${name}" (known: ${ENTRIES.map((e) => e.name).join(', ')})`);
  }
  installExitHooks();
  note(`bench: ${process.version}, benchmarks: ${(only ?? ENTRIES.map((e) => e.name)).join(', ')}`);
  try {
    for (const entry of ENTRIES) {
      if (only && !only.includes(entry.name)) continue;
      await runEntry(entry);
    }
  } finally {
    await stopAllProcesses();
  }
}

main().then(
  // Exit explicitly: a benchmark that overran may still hold sockets or timers.
  () => process.exit(0),
  (e: unknown) => {
    note(`bench: ${message(e)}`);
    void stopAllProcesses().finally(() => process.exit(1));
  },
);
