// Sign-in: an access key pair, or the operator token (traded for an account root's one-hour session
// credentials). Either way only credentials are kept, in this tab's sessionStorage.
import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientsFor, errorText } from './api.js';
import { operatorSession, type Session } from './session.js';
import { ErrorBox } from './ui.js';
import './account.css';

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

type Mode = 'key' | 'operator';
const MODES: [Mode, string][] = [
  ['key', 'Access key'],
  ['operator', 'Operator token'],
];

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session, who: CallerIdentity) => void }) {
  const [mode, setMode] = useState<Mode>('key');
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [sessionToken, setToken] = useState('');
  const [operatorToken, setOperatorToken] = useState('');
  const [accountId, setAccountId] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  async function finish(s: Session) {
    const out = await clientsFor(s).sts.send(new GetCallerIdentityCommand({}));
    onSignedIn(s, { arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '' });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const r = region.trim() || 'us-east-1';
    try {
      if (mode === 'operator') {
        await finish(await operatorSession(operatorToken.trim(), accountId.trim(), r));
      } else {
        await finish({
          accessKeyId: accessKeyId.trim(),
          secretAccessKey: secretAccessKey.trim(),
          region: r,
          ...(sessionToken.trim() ? { sessionToken: sessionToken.trim() } : {}),
        });
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  function choose(m: Mode) {
    setMode(m);
    setError(undefined);
  }

  // Tabs: arrow keys move between them (WAI-ARIA tabs pattern).
  function onTabKey(e: KeyboardEvent, i: number) {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const next = (i + (e.key === 'ArrowRight' ? 1 : MODES.length - 1)) % MODES.length;
    choose(MODES[next]![0]);
    tabs.current[next]?.focus();
  }

  return (
    <main className="signin">
      <h1>Sesame console</h1>
      <div role="tablist" aria-label="Sign in with" className="tabs">
        {MODES.map(([m, label], i) => (
          <button
            key={m}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`signin-tab-${m}`}
            aria-selected={mode === m}
            aria-controls="signin-panel"
            tabIndex={mode === m ? 0 : -1}
            onClick={() => choose(m)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id="signin-panel"
        aria-label={mode === 'key' ? 'Sign in with an access key' : 'Sign in with the operator token'}
      >
        {mode === 'key' ? (
          <p>
            Sign in with an access key. It is kept in this tab only (sessionStorage) and signs every request.
          </p>
        ) : (
          <p>
            The operator token (<code>SESAME_OPERATOR_TOKEN</code>, or the <code>operator-token</code> file in
            the data folder) signs you in as an account’s root for one hour. Only the temporary credentials
            are kept, in this tab.
          </p>
        )}
        <form onSubmit={submit}>
          {mode === 'key' ? (
            <>
              <label>
                Access key ID
                <input
                  name="accessKeyId"
                  value={accessKeyId}
                  onChange={(e) => setAccessKeyId(e.target.value)}
                  required
                  autoComplete="username"
                />
              </label>
              <label>
                Secret access key
                <input
                  name="secretAccessKey"
                  type="password"
                  value={secretAccessKey}
                  onChange={(e) => setSecret(e.target.value)}
                  required
                  autoComplete="current-password"
                />
              </label>
              <label>
                Session token (optional)
                <input name="sessionToken" value={sessionToken} onChange={(e) => setToken(e.target.value)} />
              </label>
            </>
          ) : (
            <>
              <label>
                Operator token
                <input
                  name="operatorToken"
                  type="password"
                  value={operatorToken}
                  onChange={(e) => setOperatorToken(e.target.value)}
                  required
                  autoComplete="off"
                />
              </label>
              <label>
                Account ID (optional: the default account)
                <input
                  name="accountId"
                  value={accountId}
                  onChange={(e) => setAccountId(e.target.value)}
                  inputMode="numeric"
                  pattern="\d{12}"
                  title="12 digits"
                />
              </label>
            </>
          )}
          <label>
            Region
            <input name="region" value={region} onChange={(e) => setRegion(e.target.value)} required />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
      <ErrorBox error={error} />
    </main>
  );
}
