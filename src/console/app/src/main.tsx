// Sesame's web console: a client of Sesame's public APIs. Every request is signed with the
// signed-in key, so the console can do exactly what IAM lets that principal do.
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { clientsFor, errorText } from './api.js';
import { clearSession, loadSession, saveSession, type Session } from './session.js';
import { SignIn, type CallerIdentity } from './SignIn.js';
import { Identities } from './Identities.js';
import { Users } from './Users.js';
import { Simulator, type SimulatorPrefill } from './Simulator.js';
import { Mailbox } from './Mailbox.js';
import { Audit } from './Audit.js';
import { Account } from './Account.js';
import { Groups } from './Groups.js';
import { Roles } from './Roles.js';
import { Policies } from './Policies.js';
import { Suppression } from './Suppression.js';
import { ContactLists } from './ContactLists.js';
import { Receiving } from './Receiving.js';
import { Navigation, useCurrentPage } from './nav.js';
import { ErrorBox } from './ui.js';
import './styles.css';

function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [who, setWho] = useState<CallerIdentity>();
  const [whoError, setWhoError] = useState<string>();
  const page = useCurrentPage();
  const [prefill, setPrefill] = useState<{ n: number; p: SimulatorPrefill }>();
  const clients = useMemo(() => (session ? clientsFor(session) : undefined), [session]);

  // A session restored from sessionStorage: confirm who it is.
  useEffect(() => {
    if (!clients || who) return;
    clients.sts
      .send(new GetCallerIdentityCommand({}))
      .then((o) => setWho({ arn: o.Arn ?? '', account: o.Account ?? '', userId: o.UserId ?? '' }))
      .catch((e: unknown) => setWhoError(errorText(e)));
  }, [clients, who]);

  if (!session || !clients)
    return (
      <SignIn
        onSignedIn={(s, id) => {
          saveSession(s);
          setWho(id);
          setSession(s);
        }}
      />
    );

  function signOut() {
    clearSession();
    setWho(undefined);
    setWhoError(undefined);
    setSession(undefined);
  }

  return (
    <>
      <header>
        <strong>Sesame</strong>
        <div className="who">
          {/* The ARN's end (the user or role) stays visible when it is cut; all of it on hover. */}
          <span data-testid="caller-arn" title={who?.arn}>
            {who?.arn ?? '…'}
          </span>
          {who ? (
            <span title="Account">
              {' '}
              · <span data-testid="caller-account">{who.account}</span>
            </span>
          ) : null}{' '}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <ErrorBox error={whoError} />
      <div className="shell">
        <Navigation current={page} />
        <main>
          {page === 'identities' && (
            <Identities clients={clients} account={who?.account ?? ''} region={session.region} />
          )}
          {page === 'users' && <Users clients={clients} region={session.region} />}
          {page === 'groups' && <Groups clients={clients} region={session.region} />}
          {page === 'roles' && <Roles clients={clients} account={who?.account} region={session.region} />}
          {page === 'policies' && <Policies clients={clients} region={session.region} />}
          {page === 'simulator' && <Simulator key={prefill?.n ?? 0} clients={clients} prefill={prefill?.p} />}
          {page === 'mailbox' && <Mailbox clients={clients} />}
          {page === 'audit' && (
            <Audit
              clients={clients}
              onWhy={(p) => {
                setPrefill({ n: (prefill?.n ?? 0) + 1, p });
                window.location.hash = '#/simulator';
              }}
            />
          )}
          {page === 'account' && (
            <Account clients={clients} region={session.region} operator={session.operator === true} />
          )}
          {page === 'suppression' && <Suppression clients={clients} region={session.region} />}
          {page === 'lists' && <ContactLists clients={clients} region={session.region} />}
          {page === 'receiving' && <Receiving clients={clients} region={session.region} />}
        </main>
      </div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
