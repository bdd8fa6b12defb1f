// A policy JSON editor: a plain textarea with a line-number gutter, linted as you type (debounced).
// Findings are advice and a Save gate; the server still decides, and its refusal is shown as is.
import { useEffect, useId, useRef, useState } from 'react';
import { lintPolicy, type LintFinding, type PolicyType } from './policy-lint-adapter.js';
import './policy-editor.css';

const DEBOUNCE_MS = 150;

/** Lints `text` as a `type` policy, 150 ms after the last change. */
export function usePolicyLint(text: string, type: PolicyType): { findings: LintFinding[]; pending: boolean } {
  const [state, setState] = useState(() => ({ text, findings: safeLint(text, type) }));
  useEffect(() => {
    if (state.text === text) return;
    const t = setTimeout(() => setState({ text, findings: safeLint(text, type) }), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, type, state.text]);
  return { findings: state.findings, pending: state.text !== text };
}

function safeLint(text: string, type: PolicyType): LintFinding[] {
  try {
    return lintPolicy(text, type);
  } catch (e) {
    // A linter bug must not take the page down; say so and let the server judge.
    return [{ code: 'LintFailed', severity: 'warning', message: `The linter failed: ${String(e)}` }];
  }
}

export const countErrors = (f: readonly LintFinding[]): number =>
  f.filter((x) => x.severity === 'error').length;

const ICON: Record<LintFinding['severity'], string> = { error: '✖', warning: '⚠', suggestion: 'ℹ' };

function summary(f: readonly LintFinding[]): string {
  if (f.length === 0) return 'No problems found.';
  const n = (k: LintFinding['severity'], word: string) => {
    const c = f.filter((x) => x.severity === k).length;
    return c ? [`${c} ${word}${c === 1 ? '' : 's'}`] : [];
  };
  return (
    [...n('error', 'error'), ...n('warning', 'warning'), ...n('suggestion', 'suggestion')].join(', ') + '.'
  );
}

export function PolicyEditor({
  label,
  value,
  onChange,
  findings,
  rows,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  findings: readonly LintFinding[];
  rows?: number;
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n').length;
  // Grows with the document (8 to 24 lines), then scrolls; the gutter numbers every visible line.
  const visible = rows ?? Math.min(Math.max(lines + 1, 8), 24);
  const lineCount = Math.max(lines, visible);
  const errorLines = new Set(findings.filter((f) => f.severity === 'error' && f.line).map((f) => f.line));

  function goTo(f: LintFinding) {
    const el = area.current;
    if (!el || !f.line) return;
    const lines = value.split('\n');
    let offset = 0;
    for (let i = 0; i < f.line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
    offset += Math.max(0, (f.column ?? 1) - 1);
    el.focus();
    el.setSelectionRange(offset, offset);
    // Bring the line into view: lines are a fixed height in this monospace box.
    const lh = parseFloat(getComputedStyle(el).lineHeight) || 18;
    el.scrollTop = Math.max(0, (f.line - 3) * lh);
  }

  return (
    <div className="policy-editor">
      <label htmlFor={id}>{label}</label>
      <div className="pe-box">
        <div className="pe-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={errorLines.has(i + 1) ? 'pe-line-error' : undefined}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          ref={area}
          className="pe-text"
          rows={visible}
          value={value}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          wrap="off"
          aria-describedby={`${id}-summary`}
          aria-invalid={countErrors(findings) > 0}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
      <p id={`${id}-summary`} className="pe-summary" aria-live="polite" data-testid="lint-summary">
        {summary(findings)}
      </p>
      {findings.length > 0 ? (
        <ul className="pe-findings" aria-label="Policy problems">
          {findings.map((f, i) => (
            <li key={i} className={`pe-${f.severity}`} data-testid="lint-finding">
              <button type="button" className="link" onClick={() => goTo(f)} disabled={!f.line}>
                <span className="pe-icon" aria-label={f.severity} role="img">
                  {ICON[f.severity]}
                </span>{' '}
                {f.line ? <span className="pe-pos">{`${f.line}:${f.column ?? 1}`}</span> : null}{' '}
                <span className="pe-message">{f.message}</span>
                {f.detail ? <span className="pe-detail"> — {f.detail}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
