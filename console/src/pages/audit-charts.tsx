import { useEffect, useState } from 'react';
import { describeError, type LogEvent } from '../api.ts';
import { targetName, useSession } from '../session.tsx';
import { Empty, ErrorNote } from '../ui.tsx';

// Grants and issuances per day and database, drawn as bars: where a picture beats a table.
// Read from the grant log's action index (request.approved, credentials.issued), at most
// MAX_PAGES pages of each. Break-glass counts join here once the API logs break-glass.

const MAX_PAGES = 20;
const PAGE = 100;
type Series = { grants: number; issuances: number };

async function eventsOf(client: ReturnType<typeof useSession>['client'], action: LogEvent['action'], range: { from: string; to: string }): Promise<{ events: LogEvent[]; truncated: boolean }> {
  const events: LogEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { data, error, response } = await client.GET('/audit/events', { params: { query: { action, ...range, limit: PAGE, ...(cursor ? { cursor } : {}) } } });
    if (!data) throw new Error(describeError(error, response));
    events.push(...data.items);
    cursor = data.nextCursor;
    if (!cursor) return { events, truncated: false };
  }
  return { events, truncated: true };
}

export function ActivityCharts({ range }: { range: { from: string; to: string } }) {
  const session = useSession();
  const [data, setData] = useState<{ byTarget: Map<string, Map<string, Series>>; days: string[]; truncated: boolean }>();
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    void (async () => {
      try {
        const [grants, issuances] = await Promise.all([eventsOf(session.client, 'request.approved', range), eventsOf(session.client, 'credentials.issued', range)]);
        const days: string[] = [];
        for (let t = Date.parse(range.from.slice(0, 10)); t <= Date.parse(range.to); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
        const byTarget = new Map<string, Map<string, Series>>();
        const add = (e: LogEvent, key: keyof Series) => {
          if (!e.targetId || e.outcome !== 'success') return;
          const perDay = byTarget.get(e.targetId) ?? new Map<string, Series>();
          const day = e.at.slice(0, 10);
          const s = perDay.get(day) ?? { grants: 0, issuances: 0 };
          s[key] += 1;
          perDay.set(day, s);
          byTarget.set(e.targetId, perDay);
        };
        grants.events.forEach((e) => add(e, 'grants'));
        issuances.events.forEach((e) => add(e, 'issuances'));
        setData({ byTarget, days, truncated: grants.truncated || issuances.truncated });
      } catch (error) {
        setProblem(`The activity charts could not be drawn: ${(error as Error).message}`);
      }
    })();
  }, [session.client, range]);

  return (
    <>
      <h3>Grants and issuances per day</h3>
      <ErrorNote>{problem}</ErrorNote>
      {data && data.byTarget.size === 0 ? <Empty>No grant or issuance in the last 7 days.</Empty> : null}
      {data && data.byTarget.size > 0 ? (
        <>
          <p className="legend" aria-hidden="true"><span><span className="key key-grants" />grants</span><span><span className="key key-issuances" />issuances</span></p>
          {[...data.byTarget].map(([targetId, perDay]) => <Bars key={targetId} title={targetName(session, targetId)} days={data.days} perDay={perDay} />)}
          {data.truncated ? <p className="meta">Drawn from the first {MAX_PAGES * PAGE} events of each kind.</p> : null}
        </>
      ) : null}
    </>
  );
}

function Bars({ title, days, perDay }: { title: string; days: string[]; perDay: Map<string, Series> }) {
  const max = Math.max(1, ...[...perDay.values()].flatMap((s) => [s.grants, s.issuances]));
  const W = 40;
  const H = 80;
  const total = [...perDay.values()].reduce((sum, s) => ({ grants: sum.grants + s.grants, issuances: sum.issuances + s.issuances }), { grants: 0, issuances: 0 });
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const label = `${title}: ${plural(total.grants, 'grant')} and ${plural(total.issuances, 'issuance')} over ${days.length} days`;
  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <svg role="img" aria-label={label} viewBox={`0 0 ${days.length * W} ${H + 20}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {days.map((day, i) => {
          const s = perDay.get(day) ?? { grants: 0, issuances: 0 };
          const g = (s.grants / max) * H;
          const n = (s.issuances / max) * H;
          return (
            <g key={day}>
              <rect className="swatch-grants" x={i * W + 6} y={H - g} width={13} height={g}><title>{`${day}: ${s.grants} grants`}</title></rect>
              <rect className="swatch-issuances" x={i * W + 20} y={H - n} width={13} height={n}><title>{`${day}: ${s.issuances} issuances`}</title></rect>
              <text x={i * W + 4} y={H + 14}>{day.slice(5)}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
