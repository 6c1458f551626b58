import { describe, expect, it } from 'vitest';
import { PolicyViolationError, ValidationError } from '#shared/kernel/errors';
import { LogAction } from '#shared/grant-log/events';
import { csvHeader, csvRow } from '#shared/audit/export-format';
import { createRequest } from '#shared/requests/use-cases';
import { assertTicketPattern, findTicket } from '#shared/targets/ticket-pattern';
import { policySchema, targetInputSchema } from '#shared/targets/target';
import { createTarget, putPolicy } from '#shared/targets/use-cases';
import { policy } from '../../support/builders.ts';
import { InMemoryIntegrationRegistry, aPolicy, aTarget, fakeDeps } from '../../support/fakes/index.ts';
import { TARGET_ID, expectRefusedWithoutWrites, people, world } from '../../support/world.ts';

const incident = '^(INC|CHG)-\\d+';
const ask = { targetId: TARGET_ID, databaseUser: 'app_ro', durationMinutes: 60 };

describe('policy ticketPattern', () => {
  it('accepts an RE2 pattern and leaves policies without one as they were', () => {
    expect(policySchema.parse(policy({ ticketPattern: incident })).ticketPattern).toBe(incident);
    expect(policySchema.parse(policy())).not.toHaveProperty('ticketPattern');
  });

  it.each([
    ['a pattern over 200 characters', `INC-${'\\d'.repeat(100)}`],
    ['an empty pattern', ''],
  ])('refuses %s in the schema', (_what, ticketPattern) => {
    expect(policySchema.safeParse(policy({ ticketPattern })).success).toBe(false);
  });

  it.each([
    ['a backreference', '(INC)-\\1'],
    ['a lookahead', '(?=INC)INC-\\d+'],
    ['a syntax error', '(INC-\\d+'],
    ['a repeat count RE2 refuses', '(a{1000}){1000}'],
    ['a pattern that matches the empty reason', 'INC-\\d*|'],
  ])('refuses %s where a policy is written (ValidationError on policy.ticketPattern)', async (_what, ticketPattern) => {
    await expect(assertTicketPattern({ ticketPattern })).rejects.toMatchObject({ code: 'validation_failed', details: [{ path: 'policy.ticketPattern' }] });
  });

  it('is checked by createTarget and putPolicy before anything is written', async () => {
    const deps = fakeDeps();
    const target = aTarget();
    deps.targets.seed(target);
    const bad = aPolicy({ ticketPattern: '(INC)-\\1' });
    const { tenantId: _t, targetId: _i, createdAt: _c, createdBy: _b, version: _v, ...input } = aTarget({ policy: bad });
    const admin = { id: 'erin', kind: 'user' as const, tenantId: target.tenantId, roles: ['admin' as const], groups: [] };

    await expect(putPolicy(deps, admin, target.targetId, bad)).rejects.toBeInstanceOf(ValidationError);
    await expect(createTarget({ ...deps, integrations: new InMemoryIntegrationRegistry(deps.log) }, admin, targetInputSchema.parse(input))).rejects.toBeInstanceOf(ValidationError);
    expect(deps.log.events).toEqual([]);
    expect((await deps.targets.get(target.tenantId, target.targetId))?.policy).toEqual(target.policy);
    await expect(putPolicy(deps, admin, target.targetId, aPolicy({ ticketPattern: incident }))).resolves.toMatchObject({ policy: { ticketPattern: incident } });
  });

  it('finds the first match as the ticket, anchored only where the pattern anchors', async () => {
    expect(await findTicket(incident, 'INC-4711 orders down')).toBe('INC-4711');
    expect(await findTicket(incident, 'orders down INC-4711')).toBeUndefined();
    expect(await findTicket('(INC|CHG)-\\d+', 'orders down, see CHG-12 and INC-3')).toBe('CHG-12');
  });

  it('runs in linear time: a pattern catastrophic for a backtracking engine returns at once on a crafted reason', async () => {
    // With JavaScript's RegExp this call backtracks 2^1000 ways and never returns (the test would time out).
    expect(await findTicket('^(a+)+$', `${'a'.repeat(999)}!`)).toBeUndefined();
    expect(await findTicket('(x+x+)+y', 'x'.repeat(1000))).toBeUndefined();
  });
});

describe('requests under a ticketPattern', () => {
  it('refuses a reason without a ticket, and a missing reason even where reasons are optional, writing nothing', async () => {
    const { deps } = world({ ticketPattern: incident, reasonRequired: false });

    await expectRefusedWithoutWrites(deps, () => createRequest(deps, people.alice, { ...ask, reason: 'just looking' }), PolicyViolationError);
    await expectRefusedWithoutWrites(deps, () => createRequest(deps, people.alice, ask), PolicyViolationError);
  });

  it('says which pattern it wants', async () => {
    const { deps } = world({ ticketPattern: incident });

    await expect(createRequest(deps, people.alice, { ...ask, reason: 'just looking' })).rejects.toMatchObject({ code: 'policy_violation', details: { ticketPattern: incident } });
  });

  it('keeps the ticket as its own field on the request, on its request.created event and in the CSV export', async () => {
    const { deps } = world({ ticketPattern: incident });

    const request = await createRequest(deps, people.alice, { ...ask, reason: 'CHG-2048 rotate the replica' });

    expect(request).toMatchObject({ ticket: 'CHG-2048', reason: 'CHG-2048 rotate the replica' });
    const created = deps.log.events.find((e) => e.action === LogAction.requestCreated)!;
    expect(created.ticket).toBe('CHG-2048');
    const header = csvHeader().trim().split(',');
    expect(csvRow(created).split(',')[header.indexOf('ticket')]).toBe('CHG-2048');
  });

  it('keeps no ticket where the policy asks for none', async () => {
    const { deps } = world();

    const request = await createRequest(deps, people.alice, { ...ask, reason: 'INC-1 look' });

    expect(request.ticket).toBeUndefined();
    expect(deps.log.events[0]).not.toHaveProperty('ticket');
  });
});
