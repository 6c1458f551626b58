import { describe, expect, it } from 'vitest';
import { LogAction, type LogEntry } from '#shared/grant-log/events';
import * as t from '#shared/requests/transitions';
import { TENANT, aPolicy, aTarget } from '../../support/fakes/index.ts';
import { EXTENSION_REASON, REASON, admin, approver, at, requester, secondApprover, timeline } from '../requests/request-states.ts';

/** Every path in `value` whose string contains `needle`. */
function pathsContaining(value: unknown, needle: string, path = ''): string[] {
  if (typeof value === 'string') return value.includes(needle) ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => pathsContaining(v, needle, path ? `${path}.${k}` : k));
}

function allKeys(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
}

/** Every transition a request can go through, with the entries each produced. */
function everyStory(): LogEntry[][] {
  const policy = aPolicy({ approvalsRequired: 2 });
  const stories: LogEntry[][] = [];
  const created = t.createRequest({ tenantId: TENANT, requestId: 'req_0000000001', target: aTarget({ policy }), databaseUser: 'app_ro', requester, durationMinutes: 60, reason: REASON, now: timeline.created });
  const half = t.approve(created.next, approver, policy, at(5));
  const approved = t.approve(half.next, secondApprover, policy, at(10));
  const ext = t.requestExtension(approved.next, requester, policy, 30, at(20), EXTENSION_REASON);
  const extHalf = t.approve(ext.next, approver, policy, at(21));
  const extDone = t.approve(extHalf.next, secondApprover, policy, at(22));
  const ext2 = t.requestExtension(extDone.next, requester, policy, 15, at(23), EXTENSION_REASON);
  const extDenied = t.deny(ext2.next, approver, at(24), 'no');
  stories.push([created, half, approved, ext, extHalf, extDone, ext2, extDenied, t.revoke(extDenied.next, admin, at(30), 'done')].flatMap((c) => c.entries));
  stories.push([t.end(extDenied.next, at(200))].flatMap((c) => c.entries));
  stories.push(t.deny(created.next, approver, at(5), 'no').entries, t.cancel(created.next, requester, at(5)).entries, t.expire(created.next, at(61)).entries);
  const auto = t.createRequest({ tenantId: TENANT, requestId: 'req_0000000002', target: aTarget({ policy }), databaseUser: 'app_ro', requester, durationMinutes: 60, reason: REASON, now: timeline.created, autoApproval: 'policy.autoApprove[0]' });
  stories.push(auto.entries);
  const glassTarget = aTarget({ policy: aPolicy({ breakGlass: { groups: [], principals: [requester.id], maxDurationMinutes: 60, maxPerPersonPerDay: 3 } }) });
  const glass = t.openBreakGlass({ tenantId: TENANT, requestId: 'req_0000000003', target: glassTarget, databaseUser: 'app_ro', requester, durationMinutes: 30, reason: REASON, now: timeline.created });
  stories.push(glass.entries, t.reviewBreakGlass(glass.next, approver, at(5), { outcome: 'acknowledged', note: 'ok' }).entries);
  return stories;
}

describe('log entries', () => {
  const entries = everyStory().flat();

  it('covers every request action', () => {
    const requestActions = Object.values(LogAction).filter((a) => a.startsWith('request.') || a.startsWith('extension.'));
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(requestActions));
  });

  it.each([
    ['request reason', REASON],
    ['extension reason', EXTENSION_REASON],
  ])('carries the %s only in details.reason', (_what, reason) => {
    const places = entries.flatMap((e) => pathsContaining(e, reason));

    expect(places.length).toBeGreaterThan(0);
    expect(new Set(places)).toEqual(new Set(['details.reason']));
  });

  it('never names a token, secret, password or credential', () => {
    const keys = entries.flatMap((e) => allKeys(e));

    expect(keys.filter((k) => /token|secret|password|credential|externalid/i.test(k))).toEqual([]);
  });

  it('never refers to another tenant', () => {
    expect(new Set(entries.map((e) => e.tenantId))).toEqual(new Set([TENANT]));
  });
});
