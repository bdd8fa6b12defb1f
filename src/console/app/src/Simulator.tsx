// IAM's policy simulator: a pasted identity policy (SimulateCustomPolicy) or an IAM principal's own
// policies (SimulatePrincipalPolicy), with SES's request fields and any other context key as
// context entries. "Why?" in the audit log opens it on a recorded request, with all of its keys.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { attempt, ErrorBox } from './ui.js';
import {
  contextEntries,
  FIELDS,
  fromContext,
  type ContextValue,
  type KeyType,
  type OtherKey,
} from './simulator-context.js';
import { simulateExplained } from './simulator-explain.js';
import { Results, type Simulated } from './simulator-results.js';

export interface SimulatorPrefill {
  action?: string;
  resource?: string;
  principalArn?: string;
  /** A recorded request's context keys: the simulator opens with every one of them. */
  context?: Record<string, ContextValue>;
  /** Simulate at once (the audit log's "Why?"). */
  run?: boolean;
}

const SAMPLE = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "SendFromExample",
      "Effect": "Allow",
      "Action": "ses:SendEmail",
      "Resource": "*",
      "Condition": { "StringLike": { "ses:FromAddress": "*@example.com" } }
    }
  ]
}`;

const KEY_TYPES: KeyType[] = ['string', 'numeric', 'date', 'boolean', 'ip', 'binary'].flatMap((t) => [
  t as KeyType,
  `${t}List` as KeyType,
]);

export function Simulator({ clients, prefill }: { clients: Clients; prefill: SimulatorPrefill | undefined }) {
  const recorded = prefill?.context ? fromContext(prefill.context) : undefined;
  const [mode, setMode] = useState<'custom' | 'principal'>(prefill?.principalArn ? 'principal' : 'custom');
  const [policy, setPolicy] = useState(SAMPLE);
  const [principalArn, setPrincipalArn] = useState(prefill?.principalArn ?? '');
  const [action, setAction] = useState(prefill?.action ?? 'ses:SendEmail');
  const [resource, setResource] = useState(prefill?.resource ?? '*');
  const [fields, setFields] = useState<Record<string, string>>(recorded?.fields ?? { apiVersion: '2' });
  const [others, setOthers] = useState<OtherKey[]>(recorded?.others ?? []);
  const [error, setError] = useState<string>();
  const [results, setResults] = useState<Simulated>();
  const ran = useRef(false);

  async function simulate() {
    setResults(undefined);
    const common = {
      ActionNames: [action.trim()],
      ResourceArns: [resource.trim() || '*'],
      ContextEntries: contextEntries(fields, others),
    };
    await attempt(async () => {
      const command =
        mode === 'custom'
          ? new SimulateCustomPolicyCommand({ ...common, PolicyInputList: [policy] })
          : new SimulatePrincipalPolicyCommand({ ...common, PolicySourceArn: principalArn.trim() });
      const { output, explanations } = await simulateExplained(clients.iam, command);
      setResults({
        results: output.EvaluationResults ?? [],
        explanations,
        ...(mode === 'custom' ? { policyText: policy } : {}),
      });
    }, setError);
  }

  // Opened on a recorded request: decide it at once.
  useEffect(() => {
    if (prefill?.run && !ran.current) {
      ran.current = true;
      void simulate();
    }
  }, []);

  const setOther = (i: number, patch: Partial<OtherKey>) =>
    setOthers(others.map((o, j) => (j === i ? { ...o, ...patch } : o)));

  return (
    <section aria-labelledby="sim-h">
      <h2 id="sim-h">Policy simulator</h2>
      {prefill?.context ? (
        <p role="status" className="sim-recorded">
          Opened on a recorded request: its {Object.keys(prefill.context).length} context keys are filled in.
        </p>
      ) : null}
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void simulate();
        }}
      >
        <fieldset>
          <legend>Policies to evaluate</legend>
          <label className="radio">
            <input type="radio" name="mode" checked={mode === 'custom'} onChange={() => setMode('custom')} />{' '}
            A policy I paste
          </label>
          <label className="radio">
            <input
              type="radio"
              name="mode"
              checked={mode === 'principal'}
              onChange={() => setMode('principal')}
            />{' '}
            The policies of a user or role
          </label>
          {mode === 'custom' ? (
            <label>
              Identity policy (JSON)
              <textarea
                className="code"
                rows={14}
                value={policy}
                onChange={(e) => setPolicy(e.target.value)}
                spellCheck={false}
              />
            </label>
          ) : (
            <label>
              Principal ARN
              <input
                value={principalArn}
                onChange={(e) => setPrincipalArn(e.target.value)}
                placeholder="arn:aws:iam::111122223333:user/alice"
                required
              />
            </label>
          )}
        </fieldset>
        <fieldset>
          <legend>Request</legend>
          <label>
            Action
            <input value={action} onChange={(e) => setAction(e.target.value)} required />
          </label>
          <label>
            Resource ARN
            <input value={resource} onChange={(e) => setResource(e.target.value)} />
          </label>
          {FIELDS.map(([name, , label, placeholder]) => (
            <label key={name}>
              {label}
              <input
                value={fields[name] ?? ''}
                placeholder={placeholder}
                onChange={(e) => setFields({ ...fields, [name]: e.target.value })}
              />
            </label>
          ))}
        </fieldset>
        <fieldset className="sim-others">
          <legend>Other context keys</legend>
          {others.map((o, i) => (
            <div key={i} className="sim-other" data-testid="other-key">
              <label>
                Key
                <input value={o.key} onChange={(e) => setOther(i, { key: e.target.value })} />
              </label>
              <label>
                Type
                <select value={o.type} onChange={(e) => setOther(i, { type: e.target.value as KeyType })}>
                  {KEY_TYPES.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </label>
              <label>
                Values (one per line)
                <textarea
                  rows={Math.min(4, Math.max(1, o.values.split('\n').length))}
                  value={o.values}
                  onChange={(e) => setOther(i, { values: e.target.value })}
                />
              </label>
              <button type="button" onClick={() => setOthers(others.filter((_, j) => j !== i))}>
                Remove {o.key || 'key'}
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => setOthers([...others, { key: '', type: 'string', values: '' }])}
          >
            Add a context key
          </button>
        </fieldset>
        <button type="submit">Simulate</button>
      </form>
      <ErrorBox error={error} />
      {results ? <Results simulated={results} /> : null}
    </section>
  );
}
