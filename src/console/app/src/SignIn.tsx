import { useState, type FormEvent } from 'react';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientsFor, errorText } from './api.js';
import type { Session } from './session.js';
import { ErrorBox } from './ui.js';

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session, who: CallerIdentity) => void }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [sessionToken, setToken] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const s: Session = {
      accessKeyId: accessKeyId.trim(),
      secretAccessKey: secretAccessKey.trim(),
      region: region.trim() || 'us-east-1',
      ...(sessionToken.trim() ? { sessionToken: sessionToken.trim() } : {}),
    };
    try {
      const out = await clientsFor(s).sts.send(new GetCallerIdentityCommand({}));
      onSignedIn(s, { arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '' });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <h1>Sesame console</h1>
      <p>Sign in with an access key. It is kept in this tab only (sessionStorage) and signs every request.</p>
      <form onSubmit={submit}>
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
        <label>
          Region
          <input name="region" value={region} onChange={(e) => setRegion(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <ErrorBox error={error} />
    </main>
  );
}
