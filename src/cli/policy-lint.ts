// `sesame policy lint`: lintPolicy on a file, one finding per line as `LINE:COL severity code
// message`, then a count. Exit 0 when there is no error or warning (suggestions are advice), 1
// otherwise, 2 when the file cannot be read.

import { lintPolicy, type LintFinding, type PolicyType } from '../policy/index.js';

export function formatFinding(f: LintFinding): string {
  const at = f.line === undefined ? '-' : `${f.line}:${f.column ?? 1}`;
  const detail = f.detail ? ` (${f.detail})` : '';
  return `${at} ${f.severity} ${f.code} ${f.message}${detail}`;
}

export function lintExitCode(findings: readonly LintFinding[]): number {
  return findings.some((f) => f.severity !== 'suggestion') ? 1 : 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The human report: findings, then `N errors, N warnings, N suggestions`. */
export function formatLintReport(findings: readonly LintFinding[]): string {
  const count = (s: LintFinding['severity']): number => findings.filter((f) => f.severity === s).length;
  return [
    ...findings.map(formatFinding),
    `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('suggestion'), 'suggestion')}`,
  ].join('\n');
}

export function lintText(text: string, type: PolicyType, json: boolean): { output: string; code: number } {
  const findings = lintPolicy(text, type);
  return {
    output: json ? JSON.stringify(findings) : formatLintReport(findings),
    code: lintExitCode(findings),
  };
}
