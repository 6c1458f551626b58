import { chainOf } from '#shared/grant-log/chains';
import { logItemOf } from '#shared/adapters/dynamodb/keys';
import { chainEvent, genesisHash, LogAction, type LogEntry, type LogEvent } from '#shared/grant-log/events';

// A year of one busy tenant's grant log, generated deterministically and
// chained in memory (the bench measures reads, so it writes items directly,
// with the same keys the LogWriter writes, instead of one transaction each).

export const benchTenant = 'bench';
export const requesters = Array.from({ length: 500 }, (_, i) => `user-${String(i).padStart(4, '0')}`);
export const approvers = Array.from({ length: 20 }, (_, i) => `approver-${String(i).padStart(2, '0')}`);
export const targets = Array.from({ length: 40 }, (_, i) => `tgt_01JBENCHTARGET${String(i).padStart(4, '0')}`);
export const databaseUsers = ['app_ro', 'app_rw', 'migrator'];
const start = Date.UTC(2025, 0, 1);
const year = 365 * 86_400_000;

/** A small, fast PRNG (mulberry32): the same N always gives the same log. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Roughly the mix a broker sees: issuances dominate, then the request lifecycle. */
const actionMix: [LogAction, number][] = [
  [LogAction.requestCreated, 0.2],
  [LogAction.requestApproved, 0.17],
  [LogAction.credentialsIssued, 0.38],
  [LogAction.requestEnded, 0.15],
  [LogAction.requestDenied, 0.03],
  [LogAction.requestRevoked, 0.02],
  [LogAction.extensionApproved, 0.05],
];

function actionAt(r: number): LogAction {
  let acc = 0;
  for (const [action, share] of actionMix) if (r < (acc += share)) return action;
  return LogAction.credentialsIssued;
}

export function timeOf(seq: number, total: number): string {
  return new Date(start + Math.floor(((seq - 1) / total) * year)).toISOString();
}

/** Each chain's head after the events benchEvents yielded so far. */
export const benchHeads = new Map<number, { seq: number; hash: string; at: string }>();

/** Yields `total` events, each chained in its chain (chains.ts), in batches, holding one batch at a time. */
export function* benchEvents(total: number, batch = 1000): Generator<LogEvent[]> {
  const r = random(42);
  benchHeads.clear();
  let out: LogEvent[] = [];
  for (let seq = 1; seq <= total; seq++) {
    const action = actionAt(r());
    const requesterId = pick(r, requesters);
    const actor =
      action === LogAction.requestApproved || action === LogAction.requestDenied || action === LogAction.extensionApproved
        ? { actorId: pick(r, approvers), actorKind: 'user' as const }
        : action === LogAction.requestEnded
          ? { actorId: 'latchkey', actorKind: 'system' as const }
          : { actorId: requesterId, actorKind: 'user' as const };
    const entry: LogEntry = {
      tenantId: benchTenant,
      at: timeOf(seq, total),
      action,
      ...actor,
      outcome: 'success',
      requestId: `req_01JBENCH${String(Math.floor(seq / 4)).padStart(12, '0')}`,
      targetId: pick(r, targets),
      databaseUser: pick(r, databaseUsers),
      requesterId,
      ...(action === LogAction.requestCreated ? { details: { durationMinutes: 60, reason: `INC-${seq % 10_000}: investigate slow queries, "orders" table` } } : {}),
      ...(action === LogAction.credentialsIssued ? { details: { assumedRoleId: `AROAEXAMPLE:${seq}`, sessionName: `latchkey-req-${seq}`, sourceIdentity: requesterId } } : {}),
    };
    const chain = chainOf(entry);
    const head = benchHeads.get(chain) ?? { seq: 0, hash: genesisHash, at: '' };
    const event = chainEvent(entry, head.seq + 1, head.hash);
    benchHeads.set(chain, { seq: event.seq, hash: event.hash, at: event.at });
    out.push(event);
    if (out.length === batch) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** The item the LogWriter would store for this event. */
export function itemOf(event: LogEvent): Record<string, unknown> {
  return logItemOf(event);
}
