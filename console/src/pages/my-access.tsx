import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { describeError, type AccessRequest, type Schemas } from '../api.ts';
import { targetName, useSession } from '../session.tsx';
import { CopyField, Empty, ErrorNote, Notice, RequestMarks, StatusBadge, TimeLeft, useNow, when } from '../ui.tsx';

// The requester's page: ask for access, follow each request live, reveal credentials
// once for an open grant, extend, cancel.

const POLL_MS = 5_000;

export function MyAccessPage() {
  const session = useSession();
  const [requests, setRequests] = useState<AccessRequest[]>();
  const [problem, setProblem] = useState<string>();

  const load = useCallback(async () => {
    const { data, error, response } = await session.client.GET('/requests', { params: { query: { view: 'mine', limit: 50 } } });
    if (data) {
      setRequests(data.items);
      setProblem(undefined);
    } else setProblem(`Your requests could not be loaded: ${describeError(error, response)}`);
  }, [session.client]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <>
      <NewRequest onCreated={load} />
      <section aria-labelledby="mine">
        <h2 id="mine">My requests and grants</h2>
        <ErrorNote>{problem}</ErrorNote>
        {requests === undefined ? (
          <p>Loading…</p>
        ) : requests.length === 0 ? (
          <Empty>You have no requests yet. Ask for access with the form above; your approvers see it at once.</Empty>
        ) : (
          <ul className="cards">
            {requests.map((r) => (
              <RequestCard key={r.requestId} request={r} onChange={load} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function NewRequest({ onCreated }: { onCreated: () => Promise<void> }) {
  const session = useSession();
  const ids = { target: useId(), user: useId(), duration: useId(), reason: useId(), breakGlass: useId() };
  const targets = [...session.targets.values()];
  const [targetId, setTargetId] = useState('');
  const target = session.targets.get(targetId) ?? targets[0];
  const [databaseUser, setDatabaseUser] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [reason, setReason] = useState('');
  const [breakGlass, setBreakGlass] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (targets.length === 0 || !target) {
    return (
      <section aria-labelledby="ask">
        <h2 id="ask">Ask for access</h2>
        <Empty>No databases are registered in your tenant yet. An admin registers them under Databases.</Empty>
      </section>
    );
  }
  const user = target.databaseUsers.includes(databaseUser) ? databaseUser : (target.databaseUsers[0] ?? '');
  // Break-glass only where the policy has a rule; its own (shorter) maximum, and a reason always.
  const glass = breakGlass && target.policy.breakGlass ? target.policy.breakGlass : undefined;
  const max = glass ? Math.min(glass.maxDurationMinutes, target.policy.maxDurationMinutes) : target.policy.maxDurationMinutes;
  const reasonRequired = target.policy.reasonRequired || glass !== undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    setDone(undefined);
    const duration = Number(minutes);
    // The same limits the API checks, said before the round trip.
    if (!Number.isInteger(duration) || duration < 1 || duration > max) return setProblem(`Duration must be a whole number of minutes from 1 to ${max} (this database's policy).`);
    if (reasonRequired && reason.trim() === '') return setProblem(glass ? 'Break-glass always needs a reason.' : 'This database requires a reason or ticket reference.');
    setBusy(true);
    const { data, error, response } = await session.client.POST('/requests', {
      body: { targetId: target.targetId, databaseUser: user, durationMinutes: duration, ...(reason.trim() ? { reason: reason.trim() } : {}), ...(glass ? { breakGlass: true } : {}) },
    });
    setBusy(false);
    if (!data) return setProblem(`The request was refused: ${describeError(error, response)}`);
    setDone(data.breakGlass ? `Break-glass grant opened: ${target.name} as ${user}. An approver will review it.` : data.status === 'approved' ? `Approved at once by policy: ${target.name} as ${user}.` : `Asked for ${target.name} as ${user}; waiting for approval.`);
    setReason('');
    setBreakGlass(false);
    await onCreated();
  };

  return (
    <section aria-labelledby="ask">
      <h2 id="ask">Ask for access</h2>
      <form className="grid-form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={ids.target}>Database</label>
        <select id={ids.target} value={target.targetId} onChange={(e) => setTargetId(e.target.value)}>
          {targets.map((t) => (
            <option key={t.targetId} value={t.targetId}>
              {t.name} ({t.engine})
            </option>
          ))}
        </select>
        <label htmlFor={ids.user}>Database user</label>
        <select id={ids.user} value={user} onChange={(e) => setDatabaseUser(e.target.value)}>
          {target.databaseUsers.map((u) => (
            <option key={u}>{u}</option>
          ))}
        </select>
        <label htmlFor={ids.duration}>Duration (minutes, at most {max})</label>
        <input id={ids.duration} type="number" min={1} max={max} required value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        <label htmlFor={ids.reason}>Reason or ticket{reasonRequired ? ' (required)' : ' (optional)'}</label>
        <input id={ids.reason} value={reason} maxLength={500} required={reasonRequired} onChange={(e) => setReason(e.target.value)} />
        {target.policy.breakGlass ? (
          <>
            <label htmlFor={ids.breakGlass}>Break glass (emergency: open now, reviewed afterwards)</label>
            <input id={ids.breakGlass} type="checkbox" checked={breakGlass} onChange={(e) => setBreakGlass(e.target.checked)} />
          </>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            Ask for access
          </button>
        </div>
      </form>
      <ErrorNote>{problem}</ErrorNote>
      <Notice>{done}</Notice>
    </section>
  );
}

function RequestCard({ request, onChange }: { request: AccessRequest; onChange: () => Promise<void> }) {
  const session = useSession();
  const now = useNow();
  const [problem, setProblem] = useState<string>();
  const [credentials, setCredentials] = useState<Schemas['IssuedCredentials']>();
  const [extendMinutes, setExtendMinutes] = useState('30');
  const [extendReason, setExtendReason] = useState('');
  const extendId = useId();
  const extendReasonId = useId();
  const reasonRequired = session.targets.get(request.targetId)?.policy.reasonRequired ?? false;
  const name = targetName(session, request.targetId);
  const open = request.status === 'approved' && Date.parse(request.windowEnd) > now;
  const path = { params: { path: { requestId: request.requestId } } };

  const act = async (call: () => Promise<{ error?: unknown; response: Response }>, what: string) => {
    setProblem(undefined);
    const { error, response } = await call();
    if (!response.ok) setProblem(`${what} failed: ${describeError(error, response)}`);
    await onChange();
  };

  const getCredentials = async () => {
    setProblem(undefined);
    const { data, error, response } = await session.client.POST('/requests/{requestId}/credentials', { ...path, body: {} });
    if (!data) return setProblem(`No credentials: ${describeError(error, response)}`);
    setCredentials(data);
  };

  return (
    <li className="card" aria-label={`${name} as ${request.databaseUser}`}>
      <div className="card-head">
        <strong>{name}</strong> as <code>{request.databaseUser}</code> <StatusBadge status={request.status} /> <RequestMarks breakGlass={request.breakGlass} ticket={request.ticket} />
        {request.status === 'approved' ? <TimeLeft until={request.windowEnd} /> : null}
      </div>
      <p className="meta">
        {request.durationMinutes} min · asked {when(request.createdAt)}
        {request.reason ? ` · “${request.reason}”` : ''}
        {request.status === 'pending' ? ` · ${request.approvals.length} approval(s) so far · decide by ${when(request.decideBy)}` : ''}
        {request.status === 'denied' ? ` · denied by ${request.deniedBy}${request.note ? `: ${request.note}` : ''}` : ''}
        {request.status === 'revoked' ? ` · revoked by ${request.revokedBy}` : ''}
        {request.status === 'approved' && request.pendingExtension ? ` · extension of ${request.pendingExtension.minutes} min waiting for approval` : ''}
      </p>
      <div className="actions">
        {open && !credentials ? (
          <button type="button" onClick={() => void getCredentials()}>
            Get credentials
          </button>
        ) : null}
        {request.status === 'pending' ? (
          <button type="button" className="secondary" onClick={() => void act(() => session.client.POST('/requests/{requestId}/cancel', path), 'Cancelling')}>
            Cancel request
          </button>
        ) : null}
        {open && !request.pendingExtension ? (
          <span className="inline-form">
            <label htmlFor={extendId}>Extend by (min)</label>
            <input id={extendId} type="number" min={1} value={extendMinutes} onChange={(e) => setExtendMinutes(e.target.value)} />
            <label htmlFor={extendReasonId}>Why{reasonRequired ? ' (required)' : ''}</label>
            <input id={extendReasonId} value={extendReason} maxLength={500} onChange={(e) => setExtendReason(e.target.value)} />
            <button
              type="button"
              className="secondary"
              onClick={() => {
                if (reasonRequired && extendReason.trim() === '') return setProblem('This database requires a reason for an extension too.');
                void act(() => session.client.POST('/requests/{requestId}/extend', { ...path, body: { minutes: Number(extendMinutes), ...(extendReason.trim() ? { reason: extendReason.trim() } : {}) } }), 'Extending');
              }}
            >
              Ask to extend
            </button>
          </span>
        ) : null}
      </div>
      <ErrorNote>{problem}</ErrorNote>
      {credentials ? <Credentials credentials={credentials} targetName={name} onClose={() => setCredentials(undefined)} /> : null}
    </li>
  );
}

/** Shown once: closing the panel drops the credentials from memory; asking again mints new ones. */
function Credentials({ credentials, targetName: name, onClose }: { credentials: Schemas['IssuedCredentials']; targetName: string; onClose: () => void }) {
  const [revealed, setRevealed] = useState(false);
  const db = credentials.database;
  return (
    <div className="credentials" role="region" aria-label="Credentials">
      <p>
        A 15-minute token for <code>{db.user}</code> at <code>{db.host}:{db.port}</code> (until {when(db.expiresAt)}). It is shown once; close this panel when done.
      </p>
      {revealed ? (
        <CopyField label="Token" value={db.token} />
      ) : (
        <button type="button" onClick={() => setRevealed(true)}>
          Reveal token
        </button>
      )}
      <CopyField label="Connect command" value={`latchkey connect ${name} --user ${db.user}`} />
      <CopyField label="Client command" value={db.command} />
      <p className="meta">The client command reads the token from <code>$LATCHKEY_DB_TOKEN</code>: export it first. {db.notes.join(' ')}</p>
      <button type="button" className="secondary" onClick={onClose}>
        Close and forget
      </button>
    </div>
  );
}
