import { useCallback, useEffect, useId, useState } from 'react';
import { describeError, type AccessRequest } from '../api.ts';
import { targetName, useSession } from '../session.tsx';
import { Empty, ErrorNote, Notice, when } from '../ui.tsx';

// The approver's inbox: what waits for this approver now (the API's `approvable` view:
// pending, a target whose policy names them, not their own), with quorum progress;
// approve or deny with a note.

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

  const decide = async (verdict: 'approve' | 'deny') => {
    setBusy(true);
    setProblem(undefined);
    const options = { params: { path: { requestId: request.requestId } }, body: note.trim() ? { note: note.trim() } : {} };
    const { data, error, response } = verdict === 'approve'
      ? await session.client.POST('/requests/{requestId}/approve', options)
      : await session.client.POST('/requests/{requestId}/deny', options);
    setBusy(false);
    if (!data) return setProblem(`Could not ${verdict}: ${describeError(error, response)}`);
    await onDecided(`${verdict === 'approve' ? 'Approved' : 'Denied'}: ${request.requesterId} on ${name} as ${request.databaseUser} (now ${data.status}).`);
  };

  return (
    <li className="card" aria-label={`${request.requesterId} asks for ${name} as ${request.databaseUser}`}>
      <div className="card-head">
        <strong>{request.requesterId}</strong> asks for <strong>{name}</strong> as <code>{request.databaseUser}</code>
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
