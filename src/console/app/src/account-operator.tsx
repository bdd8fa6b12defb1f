// For an operator session only: decide this account's production access here, as `sesame admin
// account production ACCOUNT grant|deny` does (POST /sesame/account/production-access).
import { useState } from 'react';
import { readJson, type Clients } from './api.js';
import { attempt, ErrorBox } from './ui.js';

export function OperatorDecision({
  clients,
  status,
  onDecided,
}: {
  clients: Clients;
  status: string | undefined;
  onDecided: () => Promise<void>;
}) {
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  async function decide(decision: 'grant' | 'deny') {
    setDone(undefined);
    const ok = await attempt(async () => {
      const res = await clients.sesame('/sesame/account/production-access', undefined, {
        method: 'POST',
        body: { Decision: decision },
      });
      await readJson(res);
    }, setError);
    if (ok) {
      setDone(decision === 'grant' ? 'Production access granted.' : 'Production access denied.');
      await onDecided();
    }
  }

  return (
    <section aria-labelledby="operator-h" className="panel">
      <h3 id="operator-h">Operator decision</h3>
      <p>
        You are signed in with the operator token. {status === 'PENDING' ? 'A request is waiting: ' : ''}
        Leave the sandbox at once (the sandbox allows 1 message per second, to verified or simulator addresses
        only), or deny the request.
      </p>
      <div className="pe-actions">
        <button type="button" onClick={() => void decide('grant')}>
          Grant production access
        </button>
        <button type="button" onClick={() => void decide('deny')}>
          Deny production access
        </button>
      </div>
      <ErrorBox error={error} />
      {done ? <p role="status">{done}</p> : null}
    </section>
  );
}
