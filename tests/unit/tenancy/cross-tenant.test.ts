import { describe, expect, it } from 'vitest';
import { NotFoundError } from '#shared/kernel/errors';
import type { Principal } from '#shared/kernel/principal';
import { approveRequest, cancelRequest, denyRequest, extendRequest, getRequest, listRequests, revokeRequest } from '#shared/requests/use-cases';
import type { FakeDeps } from '../../support/fakes/index.ts';
import { OTHER_TENANT, TENANT, aPendingRequestBy, expectRefusedWithoutWrites, people, seedOtherTenantRequest, world } from '../../support/world.ts';

// Invariant 3: nothing of one tenant is readable or changeable from another. The
// other tenant's request has the same id, a target with the same id, a policy
// naming the same group and a requester with the same subject: only the tenant differs.
type Operation = (deps: FakeDeps, principal: Principal, requestId: string) => Promise<unknown>;
const operations: Record<string, Operation> = {
  get: (deps, p, requestId) => getRequest(deps, p, requestId),
  approve: (deps, p, requestId) => approveRequest(deps, p, { requestId }),
  deny: (deps, p, requestId) => denyRequest(deps, p, { requestId }),
  cancel: (deps, p, requestId) => cancelRequest(deps, p, requestId),
  revoke: (deps, p, requestId) => revokeRequest(deps, p, { requestId }),
  extend: (deps, p, requestId) => extendRequest(deps, p, { requestId, minutes: 15, reason: 'x' }),
};
const callers: [string, Principal][] = [
  ['the requester’s namesake', people.alice],
  ['a named approver', people.bob],
  ['an admin', people.erin],
  ['an auditor', people.amy],
];
const cases = Object.keys(operations).flatMap((op) => (['pending', 'approved'] as const).flatMap((status) => callers.map(([who, principal]) => ({ op, status, who, principal }))));

describe('cross-tenant isolation', () => {
  it.each(cases)('$op of a $status request of another tenant is NotFound for $who, and nothing is written', async ({ op, status, principal }) => {
    const { deps } = world();
    const { request: theirs } = seedOtherTenantRequest(deps, 'req_0000000777', status);

    await expectRefusedWithoutWrites(deps, () => operations[op]!(deps, principal, theirs.requestId), NotFoundError);
    expect(await deps.requests.get(OTHER_TENANT, theirs.requestId)).toEqual(theirs);
  });

  it('acts only on the caller’s own request when both tenants hold the same request id', async () => {
    const { deps } = world();
    const ours = await aPendingRequestBy(deps);
    const { request: theirs } = seedOtherTenantRequest(deps, ours.requestId);

    const approved = await approveRequest(deps, people.bob, { requestId: ours.requestId });

    expect(approved).toMatchObject({ tenantId: TENANT, status: 'approved', reason: ours.reason });
    expect(await deps.requests.get(OTHER_TENANT, ours.requestId)).toEqual(theirs);
    expect(deps.log.forTenant(OTHER_TENANT)).toEqual([]);
    expect(await getRequest(deps, people.alice, ours.requestId)).toMatchObject({ tenantId: TENANT, reason: ours.reason });
  });

  it.each([
    ['mine', people.alice, undefined],
    ['approvable', people.bob, undefined],
    ['tenant', people.erin, 'pending'],
    ['tenant', people.amy, 'pending'],
  ] as const)('never lists another tenant’s requests (%s view)', async (view, principal, status) => {
    const { deps } = world();
    seedOtherTenantRequest(deps, 'req_0000000777');

    const page = await listRequests(deps, principal, { view, limit: 100, ...(status ? { status } : {}) });

    expect(page.items).toEqual([]);
  });
});
