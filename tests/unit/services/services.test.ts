import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, ForbiddenError, ValidationError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import type { Principal } from '#shared/kernel/principal';
import type { ServiceInput } from '#shared/services/service';
import { listServices, registerService } from '#shared/services/use-cases';
import { OTHER_TENANT, TARGET_ID, TENANT, aTarget, fakeDeps } from '../../support/fakes/index.ts';
import { people } from '../../support/world.ts';

const etl: ServiceInput = {
  roleArn: 'arn:aws:iam::444455556666:role/pipelines/etl-reader',
  name: 'ETL reader',
  access: [{ targetId: TARGET_ID, databaseUsers: ['app_ro'] }],
  autoApprove: false,
};

function withTarget() {
  const deps = fakeDeps();
  deps.targets.seed(aTarget());
  return deps;
}

describe('registerService', () => {
  it('registers the role for the caller’s tenant, findable by account and role name, with one service.registered event', async () => {
    const deps = withTarget();

    const service = await registerService(deps, people.erin, etl);

    expect(service).toMatchObject({ ...etl, tenantId: TENANT, createdBy: 'erin' });
    expect(await deps.services.findByRole('444455556666', 'etl-reader')).toEqual(service);
    expect(deps.log.events).toEqual([expect.objectContaining({ action: LogAction.serviceRegistered, actorId: 'erin', tenantId: TENANT })]);
  });

  it.each<[string, Principal]>([
    ['a requester', people.alice],
    ['an approver', people.bob],
    ['an auditor', people.amy],
  ])('refuses %s (ForbiddenError) and writes nothing', async (_who, principal) => {
    const deps = withTarget();

    await expect(registerService(deps, principal, etl)).rejects.toBeInstanceOf(ForbiddenError);
    expect(deps.log.events).toEqual([]);
    expect(await deps.services.findByRole('444455556666', 'etl-reader')).toBeUndefined();
  });

  it.each<[string, ServiceInput['access']]>([
    ['an unknown target', [{ targetId: 'tgt_0000000404', databaseUsers: ['app_ro'] }]],
    ['a database user the target does not have', [{ targetId: TARGET_ID, databaseUsers: ['app_ro', 'root'] }]],
  ])('refuses %s (ValidationError) and writes nothing', async (_case, access) => {
    const deps = withTarget();

    await expect(registerService(deps, people.erin, { ...etl, access })).rejects.toBeInstanceOf(ValidationError);
    expect(deps.log.events).toEqual([]);
  });

  it('refuses a target of another tenant as unknown', async () => {
    const deps = fakeDeps();
    deps.targets.seed(aTarget({ tenantId: OTHER_TENANT }));

    await expect(registerService(deps, people.erin, etl)).rejects.toBeInstanceOf(ValidationError);
    expect(deps.log.events).toEqual([]);
  });

  it('refuses a role another tenant registered first (AlreadyExistsError)', async () => {
    const deps = withTarget();
    deps.targets.seed(aTarget({ tenantId: OTHER_TENANT }));
    await registerService(deps, { ...people.erin, tenantId: OTHER_TENANT }, etl);

    await expect(registerService(deps, people.erin, { ...etl, name: 'mine now' })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await deps.services.findByRole('444455556666', 'etl-reader'))?.tenantId).toBe(OTHER_TENANT);
    expect(deps.log.forTenant(TENANT)).toEqual([]);
  });
});

describe('listServices', () => {
  it('lists the tenant’s services to an admin only', async () => {
    const deps = withTarget();
    deps.targets.seed(aTarget({ tenantId: OTHER_TENANT }));
    await registerService(deps, people.erin, etl);
    await registerService(deps, { ...people.erin, tenantId: OTHER_TENANT }, { ...etl, roleArn: 'arn:aws:iam::777788889999:role/theirs' });

    const page = await listServices(deps, people.erin, { limit: 25 });

    expect(page.items.map((s) => s.roleArn)).toEqual([etl.roleArn]);
    await expect(listServices(deps, people.amy, { limit: 25 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
