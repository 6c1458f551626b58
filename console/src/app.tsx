import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { consoleClient, describeError, type Principal, type Target } from './api.ts';
import { beginSignIn, completeSignIn, loadConfig, type ConsoleConfig, type Resume, type StepUpParams, type Tokens } from './auth/oidc.ts';
import { AuditPage } from './pages/audit.tsx';
import { InboxPage } from './pages/inbox.tsx';
import { IntegrationsPage } from './pages/integrations.tsx';
import { MyAccessPage } from './pages/my-access.tsx';
import { ServicesPage } from './pages/services.tsx';
import { TargetsPage } from './pages/targets.tsx';
import { SessionContext, hasRole, type Session } from './session.tsx';
import { ErrorNote, formatLeft, useNow } from './ui.tsx';

// The shell: sign-in, the navigation each role sees, and the page in the URL's fragment
// (#/access, #/inbox, …: static hosting needs no rewrite rules for it).

interface Page {
  path: string;
  title: string;
  roles: Principal['roles'];
  render: () => ReactNode;
}

const PAGES: Page[] = [
  { path: '/access', title: 'My access', roles: ['requester'], render: () => <MyAccessPage /> },
  { path: '/inbox', title: 'Approvals', roles: ['approver'], render: () => <InboxPage /> },
  { path: '/audit', title: 'Audit', roles: ['auditor', 'admin'], render: () => <AuditPage /> },
  { path: '/integrations', title: 'Integrations', roles: ['admin'], render: () => <IntegrationsPage /> },
  { path: '/targets', title: 'Databases', roles: ['admin'], render: () => <TargetsPage /> },
  { path: '/services', title: 'Services', roles: ['admin'], render: () => <ServicesPage /> },
];

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out'; config?: ConsoleConfig; message?: string }
  | { kind: 'signed-in'; config: ConsoleConfig; tokens: Tokens; me: Principal; resume?: Resume };

function useHashPath(): string {
  const [path, setPath] = useState(location.hash.replace(/^#/, ''));
  useEffect(() => {
    const onChange = () => setPath(location.hash.replace(/^#/, ''));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const tokenRef = useRef<string>('');

  const signOut = useCallback((message?: string) => {
    tokenRef.current = '';
    setState((s) => ({ kind: 'signed-out', ...(s.kind === 'loading' ? {} : { config: s.config }), ...(message ? { message } : {}) }));
  }, []);

  useEffect(() => {
    let config: ConsoleConfig | undefined;
    (async () => {
      config = await loadConfig();
      const done = await completeSignIn(config);
      if (!done) return setState({ kind: 'signed-out', config });
      tokenRef.current = done.tokens.accessToken;
      const client = consoleClient(config.apiBase, () => tokenRef.current, () => undefined);
      const { data, error, response } = await client.GET('/me');
      if (!data) throw new Error(`Signed in, but the API refused who you are: ${describeError(error, response)}`);
      // An interrupted action is redone only for the person who started it.
      const resume = done.resume?.by === data.id ? done.resume : undefined;
      setState({ kind: 'signed-in', config, tokens: done.tokens, me: data, ...(resume ? { resume } : {}) });
    })().catch((error: unknown) => setState({ kind: 'signed-out', ...(config ? { config } : {}), message: (error as Error).message }));
  }, []);

  if (state.kind === 'loading') return <p className="loading">Loading…</p>;
  if (state.kind === 'signed-out') return <SignIn config={state.config} message={state.message} />;
  return <Console config={state.config} tokens={state.tokens} me={state.me} resume={state.resume} token={() => tokenRef.current} signOut={signOut} />;
}

function SignIn({ config, message }: { config: ConsoleConfig | undefined; message: string | undefined }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  return (
    <main className="sign-in" id="main">
      <h1>Latchkey</h1>
      <p>Temporary database access in your customers' AWS accounts: ask, approve, connect, audit.</p>
      <ErrorNote>{message}</ErrorNote>
      <ErrorNote>{problem}</ErrorNote>
      {config ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            beginSignIn(config).catch((error: unknown) => {
              setBusy(false);
              setProblem(`Could not reach the identity provider at ${config.issuer}: ${(error as Error).message}`);
            });
          }}
        >
          Sign in
        </button>
      ) : (
        <ErrorNote>The console has no configuration; check that /config.json is served.</ErrorNote>
      )}
    </main>
  );
}

function Console(props: { config: ConsoleConfig; tokens: Tokens; me: Principal; resume: Resume | undefined; token: () => string; signOut: (message?: string) => void }) {
  const { config, tokens, me, token, signOut } = props;
  const resume = useRef(props.resume);
  const takeResume = useCallback((action: Resume['action'], requestId: string) => {
    const pending = resume.current;
    if (pending?.action !== action || pending.requestId !== requestId) return undefined;
    resume.current = undefined;
    return pending;
  }, []);
  const stepUp = useCallback((params: StepUpParams, interrupted: Resume) => beginSignIn(config, params, interrupted), [config]);
  const path = useHashPath();
  const now = useNow(1000);
  const [targets, setTargets] = useState(new Map<string, Target>());
  const client = useMemo(
    () => consoleClient(config.apiBase, token, () => signOut('Your session ended (the API no longer accepts it). Sign in again.')),
    [config, token, signOut],
  );
  const reloadTargets = useCallback(async () => {
    const all = new Map<string, Target>();
    let cursor: string | undefined;
    do {
      const { data } = await client.GET('/targets', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } });
      for (const t of data?.items ?? []) all.set(t.targetId, t);
      cursor = data?.nextCursor;
    } while (cursor);
    setTargets(all);
  }, [client]);
  useEffect(() => void reloadTargets(), [reloadTargets]);

  const expired = now >= tokens.expiresAt;
  useEffect(() => {
    if (expired) signOut(`Your session expired at ${new Date(tokens.expiresAt).toLocaleTimeString()}. Sign in again.`);
  }, [expired, signOut, tokens.expiresAt]);

  const session: Session = useMemo(
    () => ({ client, me, expiresAt: tokens.expiresAt, targets, reloadTargets, stepUp, takeResume }),
    [client, me, tokens.expiresAt, targets, reloadTargets, stepUp, takeResume],
  );
  const visible = PAGES.filter((p) => hasRole(me, ...p.roles));
  const page = visible.find((p) => p.path === path) ?? visible[0];
  useEffect(() => {
    document.title = page ? `${page.title} · Latchkey` : 'Latchkey';
  }, [page]);

  return (
    <SessionContext.Provider value={session}>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Latchkey</span>
        <nav aria-label="Main">
          <ul>
            {visible.map((p) => (
              <li key={p.path}>
                <a href={`#${p.path}`} aria-current={p === page ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {me.id} · {me.tenantId} · <span className="time-left">{formatLeft(tokens.expiresAt - now).replace('left', 'to sign-out')}</span>
          </span>
          <button type="button" className="secondary" onClick={() => signOut('You signed out.')}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page ? (
          <>
            <h1>{page.title}</h1>
            {page.render()}
          </>
        ) : (
          <p>Your token carries no role the console knows ({me.roles.join(', ') || 'none'}). Ask your identity provider's admin for requester, approver, auditor or admin.</p>
        )}
      </main>
    </SessionContext.Provider>
  );
}
