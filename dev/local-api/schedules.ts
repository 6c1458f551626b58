import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { LOCAL_ACCOUNT_ID, type LambdaRuntime } from './lambda-runtime.ts';
import type { RouteTable } from './route-table.ts';

// `schedule` events, run locally every N seconds whatever their rate(...) says
// (waiting five real minutes to see an expiry is no use to anyone), with the
// EventBridge "Scheduled Event" payload. A run never overlaps the previous
// run of the same function, as a slow Lambda would otherwise pile up.

export interface Schedules {
  stop(): void;
}

export function startSchedules(table: RouteTable, runtime: LambdaRuntime, options: { everySeconds: number; stage: string }): Schedules {
  if (options.everySeconds <= 0) return { stop: () => undefined };
  const timers: NodeJS.Timeout[] = [];
  for (const fn of table.functions.values()) {
    fn.schedules.forEach((expression, index) => {
      const rule = `${table.service}-${options.stage}-${fn.name}-schedule-${index + 1}`;
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        const started = Date.now();
        runtime
          .invoke(fn, scheduledEvent(rule, table.region))
          .then(() => console.error(`local-api schedule ${fn.name} (${expression}) ok ${Date.now() - started}ms`))
          .catch((error: unknown) => console.error(`local-api schedule ${fn.name} failed: ${(error as Error).message}`))
          .finally(() => {
            running = false;
          });
      }, options.everySeconds * 1000);
      // A schedule alone must not keep the process alive once the servers close.
      timer.unref();
      timers.push(timer);
    });
  }
  return { stop: () => timers.forEach(clearInterval) };
}

export function scheduledEvent(rule: string, region: string, now = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    // EventBridge times have whole seconds: 2019-10-08T16:53:06Z.
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:${LOCAL_ACCOUNT_ID}:rule/${rule}`],
    detail: {},
  };
}
