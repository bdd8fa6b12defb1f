// Summarizes V8 .cpuprofile files (node --cpu-prof): top functions by self time and by total
// (inclusive) time, each with file:line, plus self time per file. For finding hot spots to report.
//
//   npx tsx bench/support/cpuprofile-top.ts PROFILE.cpuprofile [--top 25] [--filter src/]
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  where: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  totalMs: number;
  self: HotSpot[];
  inclusive: HotSpot[];
  files: HotSpot[];
}

function short(url: string): string {
  const u = url.replace(/^file:\/\//, '');
  const i = u.indexOf('/node_modules/');
  if (i >= 0) return u.slice(i + 1);
  for (const dir of ['/src/', '/bench/']) {
    const s = u.lastIndexOf(dir);
    if (s >= 0) return u.slice(s + 1);
  }
  return u || '(native)';
}

// A tsc build with --sourceMap (see profile-api.ts) maps back to the .ts file and line.
const maps = new Map<string, SourceMap | null>();
function original(f: CallFrame): { url: string; line: number } {
  if (!f.url.startsWith('file://') || !f.url.endsWith('.js')) return { url: f.url, line: f.lineNumber };
  let map = maps.get(f.url);
  if (map === undefined) {
    const file = `${fileURLToPath(f.url)}.map`;
    map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as never) : null;
    maps.set(f.url, map);
  }
  const e = map?.findEntry(f.lineNumber, f.columnNumber) as
    { originalSource?: string; originalLine?: number } | undefined;
  if (!e?.originalSource) return { url: f.url, line: f.lineNumber };
  return { url: e.originalSource, line: e.originalLine ?? 0 };
}

function key(f: CallFrame): string {
  const o = original(f);
  return `${f.functionName || '(anonymous)'} ${short(o.url)}:${o.line + 1}`;
}

export function summarize(profile: CpuProfile, top = 25, filter?: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const node = byId.get(id);
    if (!node) return;
    const k = key(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + dt);
    const file = short(original(node.callFrame).url) || node.callFrame.functionName;
    files.set(file, (files.get(file) ?? 0) + dt);
    // Each function counted once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const kk = key(n.callFrame);
      if (!seen.has(kk)) {
        seen.add(kk);
        incl.set(kk, (incl.get(kk) ?? 0) + dt);
      }
    }
  });
  const rank = (m: Map<string, number>) =>
    [...m]
      .filter(([k]) => !filter || k.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, ms]) => ({ where, ms: Math.round(ms), pct: Math.round((1000 * ms) / total) / 10 }));
  return { totalMs: Math.round(total), self: rank(self), inclusive: rank(incl), files: rank(files) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, filter: { type: 'string' } },
  });
  for (const file of positionals) {
    const s = summarize(
      JSON.parse(readFileSync(file, 'utf8')) as CpuProfile,
      Number(values.top),
      values.filter,
    );
    const show = (title: string, rows: HotSpot[]) => {
      console.log(`\n${title}`);
      for (const r of rows)
        console.log(`${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${r.where}`);
    };
    console.log(`${file}: ${s.totalMs} ms sampled`);
    show('self time', s.self);
    show('inclusive time', s.inclusive);
    show('self time per file', s.files);
  }
}
