import { describe, expect, it } from 'vitest';
import { deliverBatch, handleSlackInteraction, remindEndingGrants, SlackAction } from '#shared/notifications/index';
import type { TenantScope } from '#shared/kernel/ports';
import { approveRequest } from '#shared/requests/use-cases';
import { aPendingRequestBy, people } from '../../support/world.ts';
import { TENANT } from '../../support/fakes/index.ts';
import { click, notifyWorld, signed, slackIdOf } from './notify-world.ts';

// Tenant isolation by IAM (docs/tenant-isolation.md): the notifier, the reminder and a Slack click start outside
// any tenant, and must do each tenant's reads and writes inside that tenant's scope (its DynamoDB session).
function recordingScope(sideEffects: () => number) {
  const entered: { tenantId: string; effects: number }[] = [];
  const scope: TenantScope = async (tenantId, work) => {
    const before = sideEffects();
    const result = await work();
    entered.push({ tenantId, effects: sideEffects() - before });
    return result;
  };
  return { scope, entered };
}

describe('notifications in the tenant scope', () => {
  it("delivers each stream event inside its own tenant's scope", async () => {
    const w = notifyWorld();
    await aPendingRequestBy(w.deps);
    const { scope, entered } = recordingScope(() => w.slack.posts.length + w.mailer.sent.length + w.webhooks.received.length);
    await deliverBatch({ ...w.notifier, asTenant: scope }, w.stream().map((event, i) => ({ id: String(i), event })));
    expect(entered).toEqual([{ tenantId: TENANT, effects: 3 }]);
  });

  it("reminds of each ending grant inside that grant's tenant's scope", async () => {
    const w = notifyWorld();
    await w.link(people.alice);
    const { requestId } = await aPendingRequestBy(w.deps, people.alice, 10);
    await approveRequest(w.deps, people.bob, { requestId });
    const { scope, entered } = recordingScope(() => w.slack.posts.length);
    expect(await remindEndingGrants({ ...w.notifier, requests: w.deps.requests, asTenant: scope })).toEqual({ reminded: 1, skipped: 0, failed: 0 });
    expect(entered).toEqual([{ tenantId: TENANT, effects: 1 }]);
  });

  it("acts on a click inside the workspace's tenant's scope, and checks the signature before it", async () => {
    const w = notifyWorld();
    await w.link(people.bob);
    const { requestId } = await aPendingRequestBy(w.deps);
    const { scope, entered } = recordingScope(() => w.deps.log.events.length);
    const result = await handleSlackInteraction({ ...w.interactions, asTenant: scope }, signed(click(slackIdOf('bob'), SlackAction.approve, requestId), w.deps.clock.now()));
    expect(result).toMatchObject({ outcome: 'approved' });
    expect(entered).toEqual([{ tenantId: TENANT, effects: 1 }]);

    const forged = { ...signed(click(slackIdOf('bob'), SlackAction.approve, requestId), w.deps.clock.now()), signature: 'v0=00' };
    await expect(handleSlackInteraction({ ...w.interactions, asTenant: scope }, forged)).rejects.toThrow();
    expect(entered).toHaveLength(1);
  });
});
