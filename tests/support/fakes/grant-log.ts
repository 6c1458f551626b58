import { chainOf } from '#shared/grant-log/chains';
import { chainEvent, genesisHash, type LogEntry, type LogEvent } from '#shared/grant-log/events';

/** Every log entry any fake store wrote, chained per tenant like the real log. */
export class InMemoryGrantLog {
  readonly events: LogEvent[] = [];

  /** Called by the stores inside their "transaction", after the condition held; returns the chained events. */
  append(entries: LogEntry[]): LogEvent[] {
    // The same guard as LogWriter: a state change without an event, or one event across tenants, is a bug.
    const tenantId = entries[0]?.tenantId;
    if (!tenantId || entries.some((e) => e.tenantId !== tenantId || chainOf(e) !== chainOf(entries[0]!))) throw new Error('A write logs one chain of one tenant at a time');
    const written: LogEvent[] = [];
    for (const entry of entries) {
      // Chained per tenant and chain (chains.ts), like the real log.
      const previous = this.forTenant(tenantId).filter((e) => chainOf(e) === chainOf(entry)).at(-1);
      const event = chainEvent(structuredClone(entry), (previous?.seq ?? 0) + 1, previous?.hash ?? genesisHash);
      this.events.push(event);
      written.push(event);
    }
    return written;
  }
  forTenant(tenantId: string): LogEvent[] {
    return this.events.filter((e) => e.tenantId === tenantId);
  }
  forRequest(tenantId: string, requestId: string): LogEvent[] {
    return this.events.filter((e) => e.tenantId === tenantId && e.requestId === requestId);
  }
  actions(): string[] {
    return this.events.map((e) => e.action);
  }
}
