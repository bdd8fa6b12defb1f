// "Preview impact" in the policy editor: before saving, the change is replayed over the calls the
// audit log recorded in the last days (POST /sesame/policy/what-if), and the calls whose decision
// would flip are listed, grouped by principal, action and the statement responsible.
import { useState } from 'react';
import { readJson, type Clients } from './api.js';
import { ArnLink } from './links.js';
import { attempt, ErrorBox } from './ui.js';

interface Statement {
  PolicyId: string;
  PolicyType: string;
  StatementIndex: number;
  Sid?: string;
  Effect: string;
  InChange: boolean;
}

interface FlipGroup {
  Principal: string;
  Action: string;
  From: string;
  To: string;
  DecidedBy?: string;
  Statement?: Statement;
  Count: number;
  FirstSeen: string;
  LastSeen: string;
  Resources: string[];
  Examples: { RequestId: string; EventTime: string }[];
}

interface Answer {
  Change: string;
  Window: { Days: number };
  Examined: number;
  Replayed: number;
  Skipped: { NoRequestContext: number; PrincipalGone: number };
  ChangedSinceRecorded: number;
  AllowedToDenied: number;
  DeniedToAllowed: number;
  Flips: FlipGroup[];
  Truncated: boolean;
}

const statementText = (s: Statement) =>
  `${s.Effect} ${s.Sid ? `“${s.Sid}” ` : ''}(statement ${s.StatementIndex}) of ${s.PolicyId}${s.InChange ? ', in this change' : ''}`;

export function WhatIfPreview({
  clients,
  change,
  disabled,
}: {
  clients: Clients;
  /** The change the form would save, named as its IAM or SES call. */
  change: () => Record<string, unknown>;
  disabled: boolean;
}) {
  const [days, setDays] = useState('7');
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function preview() {
    setAnswer(undefined);
    setBusy(true);
    await attempt(async () => {
      const res = await clients.sesame('/sesame/policy/what-if', undefined, {
        method: 'POST',
        body: { Change: change(), Days: Number(days) },
      });
      setAnswer(await readJson<Answer>(res));
    }, setError);
    setBusy(false);
  }

  return (
    <div className="what-if">
      <div className="what-if-controls">
        <button type="button" onClick={() => void preview()} disabled={disabled || busy}>
          Preview impact
        </button>{' '}
        <label>
          over the calls of the last{' '}
          <select value={days} onChange={(e) => setDays(e.target.value)} aria-label="Days of recorded calls">
            {['1', '7', '30', '90'].map((d) => (
              <option key={d} value={d}>
                {d} {d === '1' ? 'day' : 'days'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={error} />
      {busy ? <p role="status">Replaying the recorded calls…</p> : null}
      {answer ? (
        <section className="panel what-if-result" aria-label="Impact of this change" data-testid="what-if">
          <p role="status" data-testid="what-if-summary">
            {answer.Flips.length === 0
              ? `No recorded call would be decided differently (${answer.Replayed} of the last ${answer.Window.Days} days replayed).`
              : `${answer.AllowedToDenied} allowed call${answer.AllowedToDenied === 1 ? '' : 's'} would be denied, ${answer.DeniedToAllowed} denied call${answer.DeniedToAllowed === 1 ? '' : 's'} allowed (${answer.Replayed} replayed, last ${answer.Window.Days} days).`}
          </p>
          {answer.ChangedSinceRecorded > 0 ||
          answer.Skipped.NoRequestContext + answer.Skipped.PrincipalGone > 0 ? (
            <p className="empty">
              {answer.ChangedSinceRecorded} call(s) are decided differently today than when recorded;{' '}
              {answer.Skipped.NoRequestContext + answer.Skipped.PrincipalGone} could not be replayed.
            </p>
          ) : null}
          {answer.Flips.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Change</th>
                  <th scope="col">Calls</th>
                  <th scope="col">Principal</th>
                  <th scope="col">Action</th>
                  <th scope="col">Statement responsible</th>
                  <th scope="col">Resources</th>
                  <th scope="col">Last seen</th>
                </tr>
              </thead>
              <tbody>
                {answer.Flips.map((g, i) => (
                  <tr key={i} data-testid="what-if-flip" data-from={g.From} data-to={g.To}>
                    <td className={g.From === 'Allowed' ? 'decision implicitDeny' : 'decision allowed'}>
                      {g.From} → {g.To}
                    </td>
                    <td>{g.Count}</td>
                    <td>
                      <ArnLink arn={g.Principal} />
                    </td>
                    <td className="mono nowrap">{g.Action}</td>
                    <td>
                      {g.Statement ? statementText(g.Statement) : '—'}
                      {g.DecidedBy && g.DecidedBy !== 'identity' ? ` (${g.DecidedBy} policies)` : ''}
                    </td>
                    <td>
                      {g.Resources.slice(0, 3).map((r) => (
                        <ArnLink key={r} arn={r} />
                      ))}
                    </td>
                    <td>
                      <time dateTime={g.LastSeen}>
                        {g.LastSeen.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
