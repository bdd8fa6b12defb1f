// The simulator's answer: per action and resource the decision, why (the deciding statements, every
// failed condition with the key, the operator, the policy's values and the request's, or that it
// was missing), the missing keys, and the pasted policy with the matched statements marked.
import type { EvaluationResult } from '@aws-sdk/client-iam';
import { ArnLink } from './links.js';
import type { Explanation, ExplainedStatement } from './simulator-explain.js';

export interface Simulated {
  results: EvaluationResult[];
  explanations: (Explanation | undefined)[];
  policyText?: string;
}

const statementName = (s: ExplainedStatement) =>
  `${s.Sid ? `“${s.Sid}” ` : ''}(statement ${s.StatementIndex}) of ${s.SourcePolicyId}`;

function Why({ r, e }: { r: EvaluationResult; e: Explanation | undefined }) {
  if (!e) return null;
  const deciding = e.DecidingStatements;
  return (
    <div className="sim-why" data-testid="explanation">
      <h4>Why</h4>
      {e.Error ? <p>Denied on doubt: {e.Error}</p> : null}
      {r.EvalDecision === 'allowed' ? (
        <p data-testid="allowed-by">
          {deciding.length ? (
            <>
              Allowed by {deciding.length === 1 ? 'the statement' : 'the statements'}{' '}
              {deciding.map(statementName).join(', ')}
              {e.DecidedBy ? ` (${e.DecidedBy} policies)` : ''}.
            </>
          ) : (
            `Allowed (${e.DecidedBy ?? 'default'}).`
          )}
        </p>
      ) : r.EvalDecision === 'explicitDeny' ? (
        <p data-testid="denied-by">
          Explicitly denied by {deciding.map(statementName).join(', ')}: an explicit Deny wins over every
          Allow.
        </p>
      ) : (
        <p data-testid="denied-by">
          No statement allows this request
          {e.DecidedBy && e.DecidedBy !== 'identity' ? ` (decided by the ${e.DecidedBy} policies)` : ''}.
        </p>
      )}
      {e.FailedConditions.length ? (
        <table className="sim-conditions">
          <caption>Conditions that were false</caption>
          <thead>
            <tr>
              <th scope="col">Statement</th>
              <th scope="col">Key</th>
              <th scope="col">Operator</th>
              <th scope="col">Policy’s values</th>
              <th scope="col">Request’s value</th>
            </tr>
          </thead>
          <tbody>
            {e.FailedConditions.map((c, i) => (
              <tr key={i} data-testid="failed-condition">
                <td>
                  {c.Effect} {statementName(c)}
                </td>
                <td className="mono">{c.Key}</td>
                <td className="mono">{c.Operator}</td>
                <td className="mono">{c.PolicyValues.join(', ')}</td>
                <td className="mono">
                  {c.RequestValueMissing ? <em>missing</em> : (c.RequestValues ?? []).join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

export function Results({ simulated }: { simulated: Simulated }) {
  const { results, explanations, policyText } = simulated;
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
              for <code>{r.EvalActionName}</code> on <ArnLink arn={r.EvalResourceName ?? ''} />
            </p>
            <Why r={r} e={explanations[i]} />
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
