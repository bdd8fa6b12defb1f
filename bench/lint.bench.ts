// The console's policy editor lints on every keystroke: a 6 KB identity policy (20 statements with
// conditions) must lint well inside a 5 ms keystroke budget. Prints one JSON line.
//
//   npx tsx bench/lint.bench.ts
import { pathToFileURL } from 'node:url';
import { lintPolicy } from '../src/policy/lint.js';

export const LINT_BUDGET_MS = 5;

export interface LintBenchResult {
  bench: 'policy.lint';
  bytes: number;
  median_ms: number;
  p95_ms: number;
  budget_ms: number;
  goals_met: { median_within_budget: boolean };
}

/** 20 statements of the kind the console edits (what the former timed unit test used). */
export function lintBenchDocument(): string {
  const statements = Array.from({ length: 20 }, (_, i) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: ['ses:SendEmail', 'ses:SendRawEmail', 'ses:Send*'],
    Resource: `arn:aws:ses:us-east-1:111122223333:identity/d${i}.example.com`,
    Condition: {
      'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] },
      StringEquals: { 'ses:FromAddress': 'a@example.com' },
    },
  }));
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

export function runLintBench(opts: { samples?: number } = {}): LintBenchResult {
  const text = lintBenchDocument();
  for (let i = 0; i < 50; i++) lintPolicy(text, 'identity'); // warm-up
  const times: number[] = [];
  for (let i = 0; i < (opts.samples ?? 200); i++) {
    const t = performance.now();
    lintPolicy(text, 'identity');
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 1000) / 1000;
  const median = at(0.5);
  return {
    bench: 'policy.lint',
    bytes: text.length,
    median_ms: median,
    p95_ms: at(0.95),
    budget_ms: LINT_BUDGET_MS,
    goals_met: { median_within_budget: median <= LINT_BUDGET_MS },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(runLintBench())}\n`);
}
