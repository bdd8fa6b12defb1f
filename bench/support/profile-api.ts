// Profiles Sesame under the API benchmark with real file:line: builds the project with tsc and
// source maps into node_modules/.cache/sesame-bench-build (tsx-compiled code reports line 1 for
// everything), runs the compiled api.bench.js against Sesame with a CPU profile of the measurement
// window, and prints the top hot spots mapped back to the .ts sources.
//
//   npx tsx bench/support/profile-api.ts [--duration 4] [--top 30]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summarize, type HotSpot } from './cpuprofile-top.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = join(ROOT, 'node_modules', '.cache', 'sesame-bench-build');
const PROFILES = join(BUILD, 'profiles');

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '4' }, top: { type: 'string', default: '30' } },
});

rmSync(BUILD, { recursive: true, force: true });
process.stderr.write('profile: tsc build with source maps...\n');
try {
  // Others' files may have type errors mid-edit; tsc still emits, which is all we need.
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.json',
      '--outDir',
      BUILD,
      '--sourceMap',
      '--noEmit',
      'false',
      '--incremental',
      'false',
    ],
    { cwd: ROOT, stdio: 'ignore', timeout: 300_000 },
  );
} catch {
  process.stderr.write('profile: tsc reported errors (emitted anyway)\n');
}
mkdirSync(join(BUILD, 'src/protocols/models'), { recursive: true });
cpSync(join(ROOT, 'src/protocols/models'), join(BUILD, 'src/protocols/models'), { recursive: true });

execFileSync(
  process.execPath,
  [
    join(BUILD, 'bench/api.bench.js'),
    '--only',
    'sesame',
    '--duration',
    values.duration,
    '--profile-dir',
    PROFILES,
  ],
  { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 180_000 },
);

const s = summarize(
  JSON.parse(readFileSync(join(PROFILES, 'api-sesame.cpuprofile'), 'utf8')),
  Number(values.top),
);
const show = (title: string, rows: HotSpot[]) => {
  console.log(`\n${title}`);
  for (const r of rows)
    console.log(`${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${r.where}`);
};
console.log(`\nprofile of the measurement window: ${s.totalMs} ms sampled`);
show('self time', s.self);
show('inclusive time', s.inclusive);
show('self time per file', s.files);
