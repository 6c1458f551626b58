import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { describeError, type LogEvent, type Schemas } from '../api.ts';
import { targetName, useSession, type Session } from '../session.tsx';
import { Empty, ErrorNote, Notice, RequestMarks, TableWrap, when } from '../ui.tsx';
import { ActivityCharts } from './audit-charts.tsx';

// The auditor's page: the grant log with every filter the API has, paged by its opaque
// cursor; a request's timeline; export of every page as CSV or JSON Lines with progress;
// verification of the hash chains, with the first broken link explained; the access summary.

type Action = LogEvent['action'];
export interface Filters {
  requester?: string;
  target?: string;
  databaseUser?: string;
  actor?: string;
  action?: Action;
  from?: string;
  to?: string;
  order?: 'newest' | 'oldest';
}

const ACTIONS: Action[] = [
  'request.created', 'request.approval_recorded', 'request.approved', 'request.denied', 'request.cancelled', 'request.revoked', 'request.expired', 'request.ended',
  'extension.requested', 'extension.approval_recorded', 'extension.approved', 'extension.denied', 'credentials.issued', 'credentials.failed', 'ssm.sessions_terminated',
  'target.created', 'policy.updated', 'target.updated', 'service.registered', 'integration.created', 'integration.role_registered', 'integration.verified',
  'integration.verification_failed', 'integration.setup_issued', 'log.checkpoint',
];
const PAGE_SIZE = 25;

export function AuditPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [timelineOf, setTimelineOf] = useState<string>();
  return (
    <>
      <FilterForm onApply={setFilters} />
      <EventTable filters={filters} onTimeline={setTimelineOf} />
      {timelineOf ? <Timeline requestId={timelineOf} onClose={() => setTimelineOf(undefined)} /> : null}
      <Export filters={filters} />
      <Verify />
      <AccessSummary />
    </>
  );
}

const localToIso = (value: string) => (value ? new Date(value).toISOString() : undefined);

function FilterForm({ onApply }: { onApply: (filters: Filters) => void }) {
  const session = useSession();
  const [draft, setDraft] = useState<Record<string, string>>({ order: 'newest' });
  const set = (name: string) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const text = (name: string) => draft[name]?.trim() || undefined;
    const filters: Filters = {
      requester: text('requester'), target: text('target'), databaseUser: text('databaseUser'), actor: text('actor'),
      action: (text('action') as Action | undefined), from: localToIso(draft.from ?? ''), to: localToIso(draft.to ?? ''),
      order: draft.order === 'oldest' ? 'oldest' : 'newest',
    };
    onApply(Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Filters);
  };
  return (
    <section aria-labelledby="filters">
      <h2 id="filters">Grant log</h2>
      <form onSubmit={apply}>
        <div className="filters">
          <label>Requester<input value={draft.requester ?? ''} onChange={set('requester')} /></label>
          <label>
            Database
            <select value={draft.target ?? ''} onChange={set('target')}>
              <option value="">any</option>
              {[...session.targets.values()].map((t) => <option key={t.targetId} value={t.targetId}>{t.name}</option>)}
            </select>
          </label>
          <label>Database user<input value={draft.databaseUser ?? ''} onChange={set('databaseUser')} /></label>
          <label>Actor<input value={draft.actor ?? ''} onChange={set('actor')} /></label>
          <label>
            Action
            <select value={draft.action ?? ''} onChange={set('action')}>
              <option value="">any</option>
              {ACTIONS.map((a) => <option key={a}>{a}</option>)}
            </select>
          </label>
          <label>From<input type="datetime-local" value={draft.from ?? ''} onChange={set('from')} /></label>
          <label>To<input type="datetime-local" value={draft.to ?? ''} onChange={set('to')} /></label>
          <label>
            Order
            <select value={draft.order ?? 'newest'} onChange={set('order')}>
              <option value="newest">newest first</option>
              <option value="oldest">oldest first</option>
            </select>
          </label>
        </div>
        <div className="actions"><button type="submit">Apply filters</button></div>
      </form>
      <p className="meta">Every filter narrows the result; From is inclusive, To exclusive.</p>
    </section>
  );
}

function EventTable({ filters, onTimeline }: { filters: Filters; onTimeline: (requestId: string) => void }) {
  const session = useSession();
  // cursors[i] is the cursor of page i (undefined for the first).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ items: LogEvent[]; next?: string }>();
  const [problem, setProblem] = useState<string>();
  const index = cursors.length - 1;

  const load = useCallback(async (cursor: string | undefined) => {
    setProblem(undefined);
    const { data, error, response } = await session.client.GET('/audit/events', { params: { query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } });
    if (!data) {
      setPage({ items: [] });
      return setProblem(`The grant log could not be read: ${describeError(error, response)}`);
    }
    setPage({ items: data.items, ...(data.nextCursor ? { next: data.nextCursor } : {}) });
  }, [session.client, filters]);

  useEffect(() => {
    setCursors([undefined]);
    void load(undefined);
  }, [load]);

  return (
    <section aria-labelledby="events">
      <h3 id="events">Events</h3>
      <ErrorNote>{problem}</ErrorNote>
      {page === undefined ? <p>Loading…</p> : page.items.length === 0 && !problem ? (
        <Empty>No event matches these filters. Widen the time range or clear a filter.</Empty>
      ) : (
        <TableWrap label="Events">
          <table>
            <caption className="meta">Page {index + 1}, {page.items.length} events</caption>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Actor</th><th scope="col">Outcome</th><th scope="col">Database</th><th scope="col">User</th><th scope="col">Request</th></tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr key={`${e.hash}`}>
                  <td>{when(e.at)}</td>
                  <td><code>{e.action}</code> <RequestMarks breakGlass={e.breakGlass} ticket={e.ticket} /></td>
                  <td>{e.actorId}</td>
                  <td>{e.outcome}</td>
                  <td>{e.targetId ? targetName(session, e.targetId) : ''}</td>
                  <td>{e.databaseUser ?? ''}</td>
                  <td>{e.requestId ? <button type="button" className="secondary" onClick={() => onTimeline(e.requestId ?? '')} aria-label={`Timeline of ${e.requestId}`}>Timeline</button> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <div className="actions">
        <button type="button" className="secondary" disabled={index === 0} onClick={() => { const prev = cursors.slice(0, -1); setCursors(prev); void load(prev.at(-1)); }}>Previous page</button>
        <button type="button" className="secondary" disabled={!page?.next} onClick={() => { setCursors((c) => [...c, page?.next]); void load(page?.next); }}>Next page</button>
      </div>
    </section>
  );
}

function Timeline({ requestId, onClose }: { requestId: string; onClose: () => void }) {
  const session = useSession();
  const [events, setEvents] = useState<LogEvent[]>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    void (async () => {
      const { data, error, response } = await session.client.GET('/audit/requests/{requestId}/events', { params: { path: { requestId }, query: { limit: 100 } } });
      if (data) setEvents(data.items);
      else setProblem(`The timeline could not be read: ${describeError(error, response)}`);
    })();
  }, [session.client, requestId]);
  return (
    <section aria-labelledby="timeline" className="card">
      <h3 id="timeline">Timeline of <code>{requestId}</code></h3>
      <ErrorNote>{problem}</ErrorNote>
      <ol className="steps">
        {(events ?? []).map((e) => (
          <li key={e.hash}>
            <strong>{e.action}</strong> by {e.actorId} · {when(e.at)} · {e.outcome}
            {e.details && 'note' in e.details ? ` · “${String(e.details.note)}”` : ''}
          </li>
        ))}
      </ol>
      <button type="button" className="secondary" onClick={onClose}>Close timeline</button>
    </section>
  );
}

function download(name: string, type: string, parts: string[]): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Export({ filters }: { filters: Filters }) {
  const session = useSession();
  const formatId = useId();
  const [format, setFormat] = useState<'csv' | 'ndjson'>('csv');
  const [progress, setProgress] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setProblem(undefined);
    const parts: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    let lines = 0;
    try {
      do {
        const { data, error, response } = await session.client.GET('/audit/events/export', {
          params: { query: { ...filters, format, limit: 1000, ...(cursor ? { cursor } : {}) } },
          parseAs: 'text',
        });
        if (!response.ok) throw new Error(describeError(error, response));
        // A last page can be empty (the previous one ended exactly at a page boundary): openapi-fetch
        // answers no data for an empty body.
        const text = data ?? '';
        parts.push(text);
        pages += 1;
        lines += text.split('\n').filter(Boolean).length;
        setProgress(`Exporting… page ${pages}, ${lines.toLocaleString()} lines`);
        cursor = response.headers.get('x-next-cursor') ?? undefined;
      } while (cursor);
      const events = format === 'csv' ? Math.max(lines - 1, 0) : lines;
      download(format === 'csv' ? 'grant-log.csv' : 'grant-log.jsonl', format === 'csv' ? 'text/csv' : 'application/x-ndjson', parts);
      setProgress(`Exported ${events.toLocaleString()} events in ${pages} page${pages === 1 ? '' : 's'}.`);
    } catch (error) {
      setProblem(`The export stopped after ${pages} page(s): ${(error as Error).message}. Try again; nothing was saved.`);
      setProgress(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="export">
      <h2 id="export">Export</h2>
      <p>Every page of the events matching the filters above, in one file.</p>
      <div className="inline-form">
        <label htmlFor={formatId}>Format</label>
        <select id={formatId} value={format} onChange={(e) => setFormat(e.target.value === 'ndjson' ? 'ndjson' : 'csv')}>
          <option value="csv">CSV</option>
          <option value="ndjson">JSON Lines</option>
        </select>
        <button type="button" disabled={busy} onClick={() => void run()}>Export all pages</button>
      </div>
      <Notice>{progress}</Notice>
      <ErrorNote>{problem}</ErrorNote>
    </section>
  );
}

const KIND: Record<NonNullable<Schemas['VerifyReport']['brokenLink']>['kind'], string> = {
  modified: 'was changed after it was written',
  deleted: 'is missing: events were deleted',
  inserted: 'was inserted: it is not what the chain recorded',
};

function Verify() {
  const session = useSession();
  const [result, setResult] = useState<{ report: Schemas['VerifyReport']; checked: number }>();
  const [progress, setProgress] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setProblem(undefined);
    setResult(undefined);
    let from: { chain: number; seq: number } | undefined;
    let checked = 0;
    try {
      for (;;) {
        const { data, error, response } = await session.client.GET('/audit/verify', { params: { query: from ? { fromChain: from.chain, fromSeq: from.seq } : {} } });
        if (!data) throw new Error(describeError(error, response));
        checked += data.checked;
        setProgress(`Checked ${checked.toLocaleString()} events…`);
        if (!data.ok || data.complete || !data.next) return setResult({ report: data, checked });
        from = data.next;
      }
    } catch (error) {
      setProblem(`Verification stopped: ${(error as Error).message}`);
    } finally {
      setBusy(false);
      setProgress(undefined);
    }
  };

  const report = result?.report;
  return (
    <section aria-labelledby="verify">
      <h2 id="verify">Chain verification</h2>
      <p>Each event carries the hash of the one before it on its chain; any change, removal or insertion breaks a link. This walks all of your tenant's chains.</p>
      <button type="button" disabled={busy} onClick={() => void run()}>Verify the chain</button>
      <Notice>{progress}</Notice>
      <ErrorNote>{problem}</ErrorNote>
      {report && result ? (
        report.ok ? (
          <p className="notice" role="status">
            Intact: all {result.checked.toLocaleString()} events on {report.chains} chains link up. Nothing was changed, removed or inserted{report.checkpoint ? ` (since the checkpoint of ${when(report.checkpoint.at)})` : ''}.
          </p>
        ) : report.brokenLink ? (
          <div className="error" role="alert">
            <p>Broken: chain {report.brokenLink.chain}, event #{report.brokenLink.seq} {KIND[report.brokenLink.kind]}.</p>
            <p>{report.brokenLink.message}</p>
            <p className="meta">This is the first broken link; events after it on chain {report.brokenLink.chain} cannot be trusted until it is explained. Compare the log table's backups or its S3 archive for that chain and seq.</p>
          </div>
        ) : null
      ) : null}
    </section>
  );
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

function AccessSummary() {
  const session = useSession();
  const [summary, setSummary] = useState<Schemas['AccessSummary']>();
  const [problem, setProblem] = useState<string>();
  const [range] = useState(() => ({ from: daysAgo(7), to: new Date(Date.now() + 60_000).toISOString() }));
  useEffect(() => {
    void (async () => {
      const { data, error, response } = await session.client.GET('/audit/access-summary', { params: { query: range } });
      if (data) setSummary(data);
      else setProblem(`The access summary could not be read: ${describeError(error, response)}`);
    })();
  }, [session.client, range]);
  return (
    <section aria-labelledby="summary">
      <h2 id="summary">Access summary (last 7 days)</h2>
      <ErrorNote>{problem}</ErrorNote>
      {summary ? (
        <>
          <h3>Open now</h3>
          {summary.activeGrants.length === 0 ? <Empty>No grant is open right now.</Empty> : (
            <TableWrap label="Open grants">
              <table>
                <thead><tr><th scope="col">Requester</th><th scope="col">Database</th><th scope="col">User</th><th scope="col">Until</th></tr></thead>
                <tbody>
                  {summary.activeGrants.map((g) => (
                    <tr key={g.requestId}><td>{g.requesterId}</td><td>{targetName(session, g.targetId)}</td><td>{g.databaseUser}</td><td>{when(g.windowEnd)}</td></tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          <h3>Who had access</h3>
          {summary.history.length === 0 ? <Empty>Nobody was granted access in this range.</Empty> : (
            <TableWrap label="Who had access">
              <table>
                <thead><tr><th scope="col">Database</th><th scope="col">User</th><th scope="col">Requester</th><th scope="col">Grants</th><th scope="col">Issuances</th><th scope="col">Last</th></tr></thead>
                <tbody>
                  {summary.history.flatMap((h) => h.requesters.map((r) => (
                    <tr key={`${h.targetId}/${h.databaseUser}/${r.requesterId}`}>
                      <td>{targetName(session, h.targetId)}</td><td>{h.databaseUser}</td><td>{r.requesterId}</td><td>{r.grants}</td><td>{r.issuances}</td><td>{when(r.lastAt)}</td>
                    </tr>
                  )))}
                </tbody>
              </table>
            </TableWrap>
          )}
          {summary.truncated ? <p className="meta">The range held more than the summary reads at once; narrow it for the full list.</p> : null}
          <ActivityCharts range={range} />
        </>
      ) : problem ? null : <p>Loading…</p>}
    </section>
  );
}

