import { expect } from 'vitest';
import type { AccessRequest } from '#shared/requests/access-request';
import type { Policy, Target } from '#shared/targets/target';
import * as transitions from '#shared/requests/transitions';
import { createRequest } from '#shared/requests/use-cases';
import { OTHER_TENANT, TARGET_ID, TENANT, aPolicy, aTarget, aUser, fakeDeps, type FakeDeps } from './fakes/index.ts';

// One tenant with one target whose policy names the `dba` group as approvers,
// and the people who act on it. Each test gets a fresh world.
export const people = {
  alice: aUser('alice', ['requester']),
  frank: aUser('frank', ['requester']),
  bob: aUser('bob', ['approver'], { groups: ['dba'] }),
  carol: aUser('carol', ['approver'], { groups: ['dba'] }),
  /** An approver, but not one the target's policy names. */
  sam: aUser('sam', ['approver'], { groups: ['sales'] }),
  erin: aUser('erin', ['admin']),
  /** An admin who also holds the approver role without being named. */
  root: aUser('root', ['admin', 'approver']),
  amy: aUser('amy', ['auditor']),
  /** A named approver who also requests. */
  dana: aUser('dana', ['requester', 'approver'], { groups: ['dba'] }),
};

export const REASON = 'debug INC-77';

export function world(policy: Partial<Policy> = {}) {
  const deps = fakeDeps();
  const target = aTarget({ policy: aPolicy(policy) });
  deps.targets.seed(target);
  return { deps, target };
}

/** A pending request by `who`, made through the use case (so it is logged like a real one). */
export async function aPendingRequestBy(deps: FakeDeps, who = people.alice, durationMinutes = 60): Promise<AccessRequest> {
  return createRequest(deps, who, { targetId: TARGET_ID, databaseUser: 'app_ro', durationMinutes, reason: REASON });
}

/**
 * Puts a request with `requestId` in ANOTHER tenant: its own target (same id), a
 * policy naming the same group, a requester with the same subject. Only the tenant differs.
 */
export function seedOtherTenantRequest(deps: FakeDeps, requestId: string, status: 'pending' | 'approved' = 'pending'): { target: Target; request: AccessRequest } {
  const target = aTarget({ tenantId: OTHER_TENANT });
  deps.targets.seed(target);
  const requester = { ...people.alice, tenantId: OTHER_TENANT };
  let request = transitions.createRequest({ tenantId: OTHER_TENANT, requestId, target, databaseUser: 'app_ro', requester, durationMinutes: 60, reason: 'theirs', now: deps.clock.now() }).next;
  const approver = { ...people.bob, tenantId: OTHER_TENANT };
  if (status === 'approved') request = transitions.approve(request, approver, target.policy, deps.clock.now()).next;
  deps.requests.seed(request);
  return { target, request };
}

/** Runs `attempt`, expects it to fail with `error`, and proves nothing was written: no request changed, no event logged. */
export async function expectRefusedWithoutWrites(deps: FakeDeps, attempt: () => Promise<unknown>, error: abstract new (...args: never[]) => Error): Promise<void> {
  const requests = deps.requests.all();
  const events = deps.log.events.length;

  await expect(attempt()).rejects.toBeInstanceOf(error);

  expect(deps.requests.all()).toEqual(requests);
  expect(deps.log.events).toHaveLength(events);
}

export { OTHER_TENANT, TARGET_ID, TENANT };
