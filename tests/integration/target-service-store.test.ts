import { describe, expect, it } from 'vitest';
import { LogAction, type LogEntry } from '#shared/grant-log/events';
import { AlreadyExistsError, ConcurrentModificationError, ValidationError } from '#shared/kernel/errors';
import { target } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

const stores = dynamoStores();
const entry = (tenantId: string, action: LogEntry['action']): LogEntry => ({
  tenantId,
  at: '2026-11-24T09:00:00.000Z',
  action,
  actorId: 'admin',
  actorKind: 'user',
  outcome: 'success',
});

describe('DynamoTargetStore against DynamoDB Local', () => {
  it('creates, reads, lists and conditionally saves targets within one tenant', async () => {
    const tenant = freshTenant();
    const a = target(tenant, 'tgt_01JTARGETAAAAAAAA');
    await stores.targets.create(a, entry(tenant, LogAction.targetCreated));
    await expect(stores.targets.create(a, entry(tenant, LogAction.targetCreated))).rejects.toBeInstanceOf(AlreadyExistsError);

    expect(await stores.targets.get(tenant, a.targetId)).toEqual(a);
    expect(await stores.targets.get(freshTenant(), a.targetId)).toBeUndefined();

    const next = { ...a, version: 2, policy: { ...a.policy, approvalsRequired: 2 } };
    await stores.targets.save(next, 1, entry(tenant, LogAction.policyUpdated));
    await expect(stores.targets.save({ ...next, version: 3 }, 1, entry(tenant, LogAction.policyUpdated))).rejects.toBeInstanceOf(ConcurrentModificationError);

    expect((await stores.targets.list(tenant, { limit: 10 })).items).toEqual([next]);
    expect((await stores.events(tenant)).map((e) => e.action)).toEqual(['target.created', 'policy.updated']);
  });

  it('says what won a lost write (ALL_OLD): the existing target id, the stored target and its version', async () => {
    const tenant = freshTenant();
    const a = target(tenant, 'tgt_01JTARGETWINNER01');
    await stores.targets.create(a, entry(tenant, LogAction.targetCreated));
    const winner = { ...a, version: 2, policy: { ...a.policy, approvalsRequired: 2 } };
    await stores.targets.save(winner, 1, entry(tenant, LogAction.policyUpdated));

    const taken = await stores.targets.create(a, entry(tenant, LogAction.targetCreated)).catch((e: unknown) => e);
    const stale = await stores.targets.save({ ...a, version: 2 }, 1, entry(tenant, LogAction.policyUpdated)).catch((e: unknown) => e);

    expect(taken).toBeInstanceOf(AlreadyExistsError);
    expect((taken as AlreadyExistsError).existingId).toBe(a.targetId);
    expect(stale).toBeInstanceOf(ConcurrentModificationError);
    expect((stale as ConcurrentModificationError).current).toEqual(winner);
    expect((stale as ConcurrentModificationError).details).toEqual({ currentVersion: 2 });
  });

  it('pages targets, and refuses a services cursor from the same tenant partition', async () => {
    const tenant = freshTenant();
    for (const id of ['tgt_01JTARGETPAGE0001', 'tgt_01JTARGETPAGE0002', 'tgt_01JTARGETPAGE0003']) {
      await stores.targets.create(target(tenant, id), entry(tenant, LogAction.targetCreated));
    }
    const first = await stores.targets.list(tenant, { limit: 2 });
    const rest = await stores.targets.list(tenant, { limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...rest.items].map((t) => t.targetId)).toEqual(['tgt_01JTARGETPAGE0001', 'tgt_01JTARGETPAGE0002', 'tgt_01JTARGETPAGE0003']);

    const servicesCursor = Buffer.from(JSON.stringify({ PK: `T#${tenant}`, SK: 'SERVICE#arn:aws:iam::1:role/x' })).toString('base64url');
    await expect(stores.targets.list(tenant, { limit: 2, cursor: servicesCursor })).rejects.toBeInstanceOf(ValidationError);
    await expect(stores.services.list(tenant, { limit: 2, cursor: first.nextCursor! })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('DynamoServiceStore against DynamoDB Local', () => {
  const service = (tenantId: string, roleArn: string) => ({
    roleArn,
    name: 'etl',
    access: [{ targetId: 'tgt_01JTARGETAAAAAAAA', databaseUsers: ['app_ro'] }],
    autoApprove: true,
    tenantId,
    createdAt: '2026-11-24T09:00:00.000Z',
    createdBy: 'admin',
  });

  it('finds a service by the account and name of its role, whatever the path', async () => {
    const tenant = freshTenant();
    const arn = `arn:aws:iam::444455556666:role/vendors/etl-${tenant}`;
    await stores.services.register(service(tenant, arn), entry(tenant, LogAction.serviceRegistered));

    expect((await stores.services.findByRole('444455556666', `etl-${tenant}`))?.tenantId).toBe(tenant);
    expect(await stores.services.findByRole('999999999999', `etl-${tenant}`)).toBeUndefined();
  });

  it('lets one IAM role belong to one tenant only', async () => {
    const first = freshTenant();
    const second = freshTenant();
    const arn = `arn:aws:iam::444455556666:role/etl-${first}`;
    await stores.services.register(service(first, arn), entry(first, LogAction.serviceRegistered));

    const lost = await stores.services.register(service(second, arn), entry(second, LogAction.serviceRegistered)).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(AlreadyExistsError);
    // The role is another tenant's: nothing of its winner comes back to this one.
    expect((lost as AlreadyExistsError).existingId).toBeUndefined();
    expect(JSON.stringify({ ...(lost as AlreadyExistsError) })).not.toContain(first);
    expect((await stores.services.list(second, { limit: 10 })).items).toEqual([]);
    expect(await stores.events(second)).toEqual([]);
  });
});
