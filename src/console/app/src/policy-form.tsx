// A policy form: optional name, the linted editor and a Save button that stays disabled while the
// linter sees errors. Whatever the server answers (AWS's own error text) is shown under it.
import { useState, type FormEvent, type ReactNode } from 'react';
import { countErrors, PolicyEditor, usePolicyLint } from './PolicyEditor.js';
import type { PolicyType } from './policy-lint-adapter.js';
import { attempt, ErrorBox } from './ui.js';
import type { Clients } from './api.js';
import { WhatIfPreview } from './what-if-preview.js';
import './policy-editor.css';

export function PolicyForm({
  type,
  initialText,
  initialName = '',
  nameLabel = 'Policy name',
  withName = true,
  docLabel = 'Policy document (JSON)',
  saveLabel = 'Save policy',
  onSave,
  whatIf,
  children,
}: {
  type: PolicyType;
  initialText: string;
  initialName?: string;
  nameLabel?: string;
  /** false: no name field (trust policies, policy versions). */
  withName?: boolean;
  docLabel?: string;
  saveLabel?: string;
  /** Throws AWS's error on refusal; resolves to the success message. */
  onSave: (name: string, text: string) => Promise<string>;
  /** The change as its IAM or SES call (`{Operation, …}`): offers "Preview impact" before Save. */
  whatIf?: { clients: Clients; change: (name: string, text: string) => Record<string, unknown> };
  /** Extra fields (shown between the editor and the Save button). */
  children?: ReactNode;
}) {
  const [name, setName] = useState(initialName);
  const [text, setText] = useState(initialText);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { findings } = usePolicyLint(text, type);
  const errors = countErrors(findings);

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaved(undefined);
    setBusy(true);
    let msg = '';
    const ok = await attempt(async () => {
      msg = await onSave(name.trim(), text);
    }, setError);
    setBusy(false);
    if (ok) setSaved(msg);
  }

  return (
    <form onSubmit={save} className="policy-form">
      {withName ? (
        <label>
          {nameLabel}
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
      ) : null}
      <PolicyEditor
        label={docLabel}
        value={text}
        onChange={(t) => {
          setText(t);
          setSaved(undefined);
        }}
        findings={findings}
      />
      {children}
      {whatIf ? (
        <WhatIfPreview
          clients={whatIf.clients}
          change={() => whatIf.change(name.trim(), text)}
          disabled={errors > 0 || (withName && !name.trim())}
        />
      ) : null}
      <div className="pe-actions">
        <button type="submit" disabled={errors > 0 || busy}>
          {saveLabel}
        </button>
        {errors > 0 ? <span className="pe-blocked">Fix the errors above to save.</span> : null}
      </div>
      <ErrorBox error={error} />
      {saved ? <p role="status">{saved}</p> : null}
    </form>
  );
}

/** IAM returns documents URL-encoded (as AWS does); show them pretty-printed. */
export function prettyDocument(encoded: string | undefined): string {
  if (!encoded) return '';
  let text = encoded;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    /* already plain */
  }
  return prettyJson(text);
}

/** SES returns identity policies as plain JSON: indent it, or show it as it is. */
export function prettyJson(text: string | undefined): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export const IDENTITY_TEMPLATE = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }],
  },
  null,
  2,
);
