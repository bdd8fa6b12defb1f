// SES- and IAM-aware policy lint: what IAM refuses (errors, from validatePolicy, never re-derived)
// and what IAM accepts but probably does not mean what its author thinks (warnings, suggestions).
// Pure and fast: it runs on every keystroke of the console's policy editor.

import { hasOnlyAllowedPolicyCharacters } from './limits.js';
import { createLocator, parseJsonPath, type Locator, type PathSegment } from './lint-locate.js';
import { runLintRules, type RuleFinding } from './lint-rules.js';
import type { PolicyReading } from './parse.js';
import type { PolicyType, Statement } from './types.js';
import { checkPolicy, MESSAGES } from './validate.js';

export type LintSeverity = 'error' | 'warning' | 'suggestion';

export interface LintFinding {
  /** Stable id, e.g. `invalid-json`, `malformed`, `single-valued-operator-on-multivalued-key`. */
  code: string;
  /** `error`: IAM (or SES) would refuse the document; the others are lint. */
  severity: LintSeverity;
  /** For errors: the AWS error text from validatePolicy; for lint: what happens and how to fix it. */
  message: string;
  /** Errors only: the precise cause behind IAM's terse text (e.g. the JSON parser's complaint). */
  detail?: string;
  /** 0-based index of the statement concerned. */
  statement?: number;
  sid?: string;
  /** 1-based position in the text, when known. */
  line?: number;
  column?: number;
}

const SEVERITY_ORDER: Record<LintSeverity, number> = { error: 0, warning: 1, suggestion: 2 };

/** Lints one policy document of the given type; findings sorted by position (then severity). */
export function lintPolicy(text: string, type: PolicyType): LintFinding[] {
  if (typeof text !== 'string')
    return [{ code: 'malformed', severity: 'error', message: 'Syntax errors in policy.' }];
  const check = checkPolicy(text, type);
  const v = check.result;
  if (!v.ok) return [validationFinding(text, v.error, check.reading)];
  try {
    const statements = v.policy.statements;
    const raw = runLintRules(v.policy, type);
    if (raw.length === 0) return [];
    const locator = createLocator(text);
    return sortFindings(raw.map((f) => placeFinding(f, statements, locator)));
  } catch (e) {
    // The editor calls this on every keystroke: a lint bug must show, never throw.
    return [
      {
        code: 'lint-failed',
        severity: 'suggestion',
        message: `The linter failed on this document (${e instanceof Error ? e.message : String(e)}); validation passed.`,
      },
    ];
  }
}

function sortFindings(findings: LintFinding[]): LintFinding[] {
  return findings.sort(
    (a, b) =>
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** Path segments of a statement: `Statement` may be one object or an array of them. */
function statementPath(index: number, locator: Locator): PathSegment[] {
  return locator.isArray(['Statement']) ? ['Statement', index] : ['Statement'];
}

function placeFinding(f: RuleFinding, statements: readonly Statement[], locator: Locator): LintFinding {
  const out: LintFinding = { code: f.code, severity: f.severity, message: f.message };
  if (f.statement !== undefined) {
    out.statement = f.statement;
    const sid = statements[f.statement]?.sid;
    if (sid) out.sid = sid;
    const at = locator.find([...statementPath(f.statement, locator), ...(f.path ?? [])]);
    out.line = at.line;
    out.column = at.column;
  } else {
    const at = locator.find(f.path ?? []);
    out.line = at.line;
    out.column = at.column;
  }
  return out;
}

function validationFinding(
  text: string,
  error: { code: string; message: string; path?: string },
  reading: PolicyReading | undefined,
): LintFinding {
  if (error.code === 'ValidationError') {
    const f: LintFinding = { code: 'invalid-characters', severity: 'error', message: error.message };
    const at = firstDisallowedCharacter(text);
    return at ? { ...f, ...at, detail: 'IAM accepts only TAB, LF, CR and U+0020-U+00FF in policies' } : f;
  }
  if (error.code === 'LimitExceeded')
    return { code: 'limit-exceeded', severity: 'error', message: error.message, line: 1, column: 1 };

  // IAM says only "Syntax errors in policy."; validation's own reading knows which rule of the
  // grammar failed (or where the JSON broke), so the text is never parsed a second time.
  const f: LintFinding = { code: 'malformed', severity: 'error', message: error.message };
  const syntax = error.message === MESSAGES.syntax;
  const json = syntax ? reading?.jsonError : undefined;
  if (json) {
    const { line, column } = json.position;
    return { ...f, code: 'invalid-json', detail: json.message, line, column };
  }
  const cause = syntax ? reading?.errors[0] : undefined;
  if (cause) f.detail = cause.path ? `${cause.path}: ${cause.message}` : cause.message;
  const path = error.path ?? cause?.path;
  const segments = path ? parseJsonPath(path) : [];
  if (segments[0] === 'Statement') {
    const index = typeof segments[1] === 'number' ? segments[1] : 0;
    f.statement = index;
    const sid = reading?.policy.statements.find((s) => s.index === index)?.sid;
    if (sid) f.sid = sid;
  }
  const at = createLocator(text).find(segments);
  f.line = at.line;
  f.column = at.column;
  return f;
}

function firstDisallowedCharacter(text: string): { line: number; column: number } | undefined {
  if (hasOnlyAllowedPolicyCharacters(text)) return undefined;
  let line = 1;
  let column = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) return { line, column };
    if (c === 0x0a) {
      line++;
      column = 1;
    } else column++;
  }
  return undefined;
}
