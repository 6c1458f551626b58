import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { describeError, type AccessRequest } from '../api.ts';
import { stepUpOf } from '../auth/oidc.ts';
import { targetName, useSession } from '../session.tsx';
import { Empty, ErrorNote, Notice, RequestMarks, StatusBadge, when } from '../ui.tsx';

// The approver's inbox: what waits for this approver now (the API's `approvable` view:
// pending, a target whose policy names them, not their own), with quorum progress;
// approve or deny with a note. Below it, the break-glass grants this approver may review
// (`unreviewed`: opened at once, never by themselves), each acknowledged or escalated with a note.

const POLL_MS = 5_000;

export function InboxPage() {
  const session = useSession();
  const [waiting, setWaiting] = useState<AccessRequest[]>();
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();

  const load = useCallback(async () => {
    const { data, error, response } = await session.client.GET('/requests', { params: { query: { view: 'approvable', limit: 50 } } });
    if (data) {
      setWaiting(data.items);
      setProblem(undefined);
    } else setProblem(`The inbox could not be loaded: ${describeError(error, response)}`);
  }, [session.client]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <>
    <section aria-labelledby="waiting">
      <h2 id="waiting">Waiting for you</h2>
      <ErrorNote>{problem}</ErrorNote>
      <Notice>{done}</Notice>
      {waiting === undefined ? (
        <p>Loading…</p>
      ) : waiting.length === 0 ? (
        <Empty>Nothing waits for you. Requests for databases whose policy names you as an approver appear here.</Empty>
      ) : (
        <ul className="cards">
          {waiting.map((r) => (
            <Decide key={r.requestId} request={r} onDecided={async (text) => { setDone(text); await load(); }} />
          ))}
        </ul>
      )}
    </section>
    <BreakGlassReviews />
    </>
  );
}

function BreakGlassReviews() {
  const session = useSession();
  const [unreviewed, setUnreviewed] = useState<AccessRequest[]>();
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();

  const load = useCallback(async () => {
    const { data, error, response } = await session.client.GET('/requests', { params: { query: { view: 'unreviewed', limit: 50 } } });
    if (data) {
      setUnreviewed(data.items);
      setProblem(undefined);
    } else setProblem(`The break-glass grants could not be loaded: ${describeError(error, response)}`);
  }, [session.client]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <section aria-labelledby="to-review">
      <h2 id="to-review">Break-glass grants to review</h2>
      <ErrorNote>{problem}</ErrorNote>
      <Notice>{done}</Notice>
      {unreviewed === undefined ? (
        <p>Loading…</p>
      ) : unreviewed.length === 0 ? (
        <Empty>No break-glass grant waits for your review.</Empty>
      ) : (
        <ul className="cards">
          {unreviewed.map((r) => (
            <Review key={r.requestId} request={r} onReviewed={async (text) => { setDone(text); await load(); }} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Review({ request, onReviewed }: { request: AccessRequest; onReviewed: (text: string) => Promise<void> }) {
  const session = useSession();
  const ids = { outcome: useId(), note: useId() };
  const [outcome, setOutcome] = useState<'acknowledged' | 'escalated'>('acknowledged');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const name = targetName(session, request.targetId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (note.trim() === '') return setProblem('A review needs a note: what was checked, or why it is escalated.');
    setBusy(true);
    const { data, error, response } = await session.client.POST('/requests/{requestId}/review', { params: { path: { requestId: request.requestId } }, body: { outcome, note: note.trim() } });
    setBusy(false);
    if (!data) return setProblem(`Could not review: ${describeError(error, response)}`);
    await onReviewed(`Reviewed: ${request.requesterId}'s break-glass grant on ${name} as ${request.databaseUser}, ${outcome}.`);
  };

  return (
    <li className="card" aria-label={`${request.requesterId} broke glass on ${name} as ${request.databaseUser}`}>
      <div className="card-head">
        <strong>{request.requesterId}</strong> broke glass on <strong>{name}</strong> as <code>{request.databaseUser}</code> <StatusBadge status={request.status} />{' '}
        <RequestMarks breakGlass={request.breakGlass} ticket={request.ticket} />
      </div>
      <p className="meta">
        {request.durationMinutes} min · opened {when(request.breakGlass?.openedAt ?? request.createdAt)}
        {request.reason ? ` · “${request.reason}”` : ''}
      </p>
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor={ids.outcome}>Outcome</label>
        <select id={ids.outcome} value={outcome} onChange={(e) => setOutcome(e.target.value === 'escalated' ? 'escalated' : 'acknowledged')}>
          <option value="acknowledged">acknowledged</option>
          <option value="escalated">escalated</option>
        </select>
        <label htmlFor={ids.note}>Review note (required)</label>
        <input id={ids.note} value={note} maxLength={500} required onChange={(e) => setNote(e.target.value)} />
        <button type="submit" disabled={busy}>
          Record review
        </button>
      </form>
      <ErrorNote>{problem}</ErrorNote>
    </li>
  );
}

function Decide({ request, onDecided }: { request: AccessRequest; onDecided: (text: string) => Promise<void> }) {
  const session = useSession();
  const noteId = useId();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const target = session.targets.get(request.targetId);
  const name = targetName(session, request.targetId);
  const required = target?.policy.approvalsRequired ?? 1;
  const extension = request.status === 'approved' ? request.pendingExtension : undefined;
  const approvals = extension ? extension.approvals.length : request.status === 'pending' ? request.approvals.length : 0;

  // Back from a step-up sign-in: redo the approval it interrupted, once.
  useEffect(() => {
    const resumed = session.takeResume('approve', request.requestId);
    if (!resumed) return;
    setNote(resumed.note);
    void decide('approve', resumed.note);
  }, []); // on mount only: the resume is taken once

  const decide = async (verdict: 'approve' | 'deny', text = note) => {
    setBusy(true);
    setProblem(undefined);
    const options = { params: { path: { requestId: request.requestId } }, body: text.trim() ? { note: text.trim() } : {} };
    const { data, error, response } = verdict === 'approve'
      ? await session.client.POST('/requests/{requestId}/approve', options)
      : await session.client.POST('/requests/{requestId}/deny', options);
    const stepUp = verdict === 'approve' ? stepUpOf(error) : undefined;
    if (stepUp) {
      // The policy wants a fresher or stronger sign-in: sign in again with what the API asked for; the approval is redone on return.
      setProblem(`${describeError(error, response)} Signing you in again…`);
      return session.stepUp(stepUp, { action: 'approve', requestId: request.requestId, note: text, by: session.me.id }).catch((e: unknown) => {
        setBusy(false);
        setProblem(`Could not reach the identity provider: ${(e as Error).message}`);
      });
    }
    setBusy(false);
    if (!data) return setProblem(`Could not ${verdict}: ${describeError(error, response)}`);
    await onDecided(`${verdict === 'approve' ? 'Approved' : 'Denied'}: ${request.requesterId} on ${name} as ${request.databaseUser} (now ${data.status}).`);
  };

  return (
    <li className="card" aria-label={`${request.requesterId} asks for ${name} as ${request.databaseUser}`}>
      <div className="card-head">
        <strong>{request.requesterId}</strong> asks for <strong>{name}</strong> as <code>{request.databaseUser}</code> <RequestMarks breakGlass={request.breakGlass} ticket={request.ticket} />
      </div>
      <p className="meta">
        {extension ? `An extension of ${extension.minutes} min` : `${request.durationMinutes} min`} · asked {when(request.createdAt)}
        {request.reason ? ` · “${request.reason}”` : ' · no reason given'}
        {request.status === 'pending' ? ` · decide by ${when(request.decideBy)}` : ''}
      </p>
      <p className="quorum">
        <span>
          Quorum: {approvals} of {required} approval{required === 1 ? '' : 's'}
        </span>
        <progress max={required} value={approvals} aria-label={`${approvals} of ${required} approvals`} />
      </p>
      <div className="inline-form">
        <label htmlFor={noteId}>Note (optional)</label>
        <input id={noteId} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        <button type="button" disabled={busy} onClick={() => void decide('approve')}>
          Approve
        </button>
        <button type="button" disabled={busy} className="danger" onClick={() => void decide('deny')}>
          Deny
        </button>
      </div>
      <ErrorNote>{problem}</ErrorNote>
    </li>
  );
}
