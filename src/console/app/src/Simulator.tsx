// IAM's policy simulator: a pasted identity policy (SimulateCustomPolicy) or an IAM principal's own
// policies (SimulatePrincipalPolicy), with SES's request fields mapped to context entries.
import { useState, type FormEvent } from 'react';
import {
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type ContextEntry,
  type EvaluationResult,
} from '@aws-sdk/client-iam';
import type { Clients } from './api.js';
import { attempt, ErrorBox } from './ui.js';

export interface SimulatorPrefill {
  action?: string;
  resource?: string;
  principalArn?: string;
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

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The form's SES fields as IAM context entries (only the ones filled in). */
export function contextEntries(f: Record<string, string>): ContextEntry[] {
  const out: ContextEntry[] = [];
  const add = (key: string, type: ContextEntry['ContextKeyType'], values: string[]) => {
    if (values.length) out.push({ ContextKeyName: key, ContextKeyType: type, ContextKeyValues: values });
  };
  add('ses:FromAddress', 'string', list(f.from ?? '').slice(0, 1));
  add('ses:FromDisplayName', 'string', f.displayName ? [f.displayName] : []);
  add('ses:Recipients', 'stringList', list(f.recipients ?? ''));
  add('ses:FeedbackAddress', 'string', list(f.feedback ?? '').slice(0, 1));
  add('ses:ApiVersion', 'string', f.apiVersion ? [f.apiVersion] : []);
  add('aws:CurrentTime', 'date', f.time ? [f.time] : []);
  add('aws:SourceIp', 'ip', f.sourceIp ? [f.sourceIp] : []);
  // A request through a VPC endpoint carries these three instead of aws:SourceIp.
  add('aws:SourceVpc', 'string', f.sourceVpc ? [f.sourceVpc] : []);
  add('aws:SourceVpce', 'string', f.sourceVpce ? [f.sourceVpce] : []);
  add('aws:VpcSourceIp', 'ip', f.vpcSourceIp ? [f.vpcSourceIp] : []);
  return out;
}

export function Simulator({ clients, prefill }: { clients: Clients; prefill: SimulatorPrefill | undefined }) {
  const [mode, setMode] = useState<'custom' | 'principal'>(prefill?.principalArn ? 'principal' : 'custom');
  const [policy, setPolicy] = useState(SAMPLE);
  const [principalArn, setPrincipalArn] = useState(prefill?.principalArn ?? '');
  const [action, setAction] = useState(prefill?.action ?? 'ses:SendEmail');
  const [resource, setResource] = useState(prefill?.resource ?? '*');
  const [fields, setFields] = useState<Record<string, string>>({ apiVersion: '2' });
  const [error, setError] = useState<string>();
  const [results, setResults] = useState<{ results: EvaluationResult[]; policyText?: string }>();

  const field = (name: string, label: string, placeholder?: string) => (
    <label>
      {label}
      <input
        value={fields[name] ?? ''}
        placeholder={placeholder}
        onChange={(e) => setFields({ ...fields, [name]: e.target.value })}
      />
    </label>
  );

  async function simulate(e: FormEvent) {
    e.preventDefault();
    setResults(undefined);
    const common = {
      ActionNames: [action.trim()],
      ResourceArns: [resource.trim() || '*'],
      ContextEntries: contextEntries(fields),
    };
    await attempt(async () => {
      if (mode === 'custom') {
        const out = await clients.iam.send(
          new SimulateCustomPolicyCommand({ ...common, PolicyInputList: [policy] }),
        );
        setResults({ results: out.EvaluationResults ?? [], policyText: policy });
      } else {
        const out = await clients.iam.send(
          new SimulatePrincipalPolicyCommand({ ...common, PolicySourceArn: principalArn.trim() }),
        );
        setResults({ results: out.EvaluationResults ?? [] });
      }
    }, setError);
  }

  return (
    <section aria-labelledby="sim-h">
      <h2 id="sim-h">Policy simulator</h2>
      <form onSubmit={simulate}>
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
          {field('from', 'From address (ses:FromAddress)', 'sender@example.com')}
          {field('displayName', 'From display name (ses:FromDisplayName)')}
          {field('recipients', 'Recipients, comma separated (ses:Recipients)')}
          {field('feedback', 'Feedback address (ses:FeedbackAddress)')}
          {field('apiVersion', 'API version (ses:ApiVersion)')}
          {field('time', 'Time (aws:CurrentTime)', '2026-01-01T00:00:00Z')}
          {field('sourceIp', 'Source IP (aws:SourceIp)', '203.0.113.7')}
          {field('sourceVpc', 'VPC (aws:SourceVpc)', 'vpc-0123456789abcdef0')}
          {field('sourceVpce', 'VPC endpoint (aws:SourceVpce)', 'vpce-0123456789abcdef0')}
          {field('vpcSourceIp', 'Source IP in the VPC (aws:VpcSourceIp)', '10.0.1.25')}
        </fieldset>
        <button type="submit">Simulate</button>
      </form>
      <ErrorBox error={error} />
      {results ? <Results results={results.results} policyText={results.policyText} /> : null}
    </section>
  );
}

function Results({ results, policyText }: { results: EvaluationResult[]; policyText: string | undefined }) {
  return (
    <section aria-labelledby="sim-results-h" className="panel">
      <h3 id="sim-results-h">Results</h3>
      {results.map((r, i) => {
        const lines = new Set<number>();
        for (const m of r.MatchedStatements ?? [])
          for (let l = m.StartPosition?.Line ?? 0; l > 0 && l <= (m.EndPosition?.Line ?? 0); l++)
            lines.add(l);
        return (
          <article key={i}>
            <p>
              <strong className={`decision ${r.EvalDecision}`} data-testid="decision">
                {r.EvalDecision}
              </strong>{' '}
              for <code>{r.EvalActionName}</code> on <code>{r.EvalResourceName}</code>
            </p>
            <h4>Matched statements</h4>
            {(r.MatchedStatements ?? []).length === 0 ? (
              <p className="empty">No statement matched.</p>
            ) : (
              <ul>
                {(r.MatchedStatements ?? []).map((m, j) => (
                  <li key={j}>
                    {m.SourcePolicyId} ({m.SourcePolicyType})
                    {m.StartPosition ? `, lines ${m.StartPosition.Line}–${m.EndPosition?.Line ?? '?'}` : ''}
                  </li>
                ))}
              </ul>
            )}
            <h4>Missing context values</h4>
            {(r.MissingContextValues ?? []).length === 0 ? (
              <p className="empty">None.</p>
            ) : (
              <ul data-testid="missing-context">
                {(r.MissingContextValues ?? []).map((k) => (
                  <li key={k}>
                    <code>{k}</code>
                  </li>
                ))}
              </ul>
            )}
            {policyText ? (
              <pre className="code" aria-label="Policy with matched statements highlighted">
                {policyText.split('\n').map((line, n) =>
                  lines.has(n + 1) ? (
                    <mark key={n} data-testid="matched-line">
                      {line + '\n'}
                    </mark>
                  ) : (
                    <span key={n}>{line + '\n'}</span>
                  ),
                )}
              </pre>
            ) : null}
          </article>
        );
      })}
    </section>
  );
}
