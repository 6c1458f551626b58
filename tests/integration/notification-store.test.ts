import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoContactStore, DynamoDeliveryLedger, DynamoInteractionGuard, DynamoNotificationSettingsStore } from '#shared/adapters/dynamodb/notification-store';
import { AlreadyExistsError, ConcurrentModificationError } from '#shared/kernel/errors';
import type { NotificationSettings } from '#shared/notifications/index';
import { user } from '../support/builders.ts';
import { dynamoStores, freshTenant } from '../support/dynamo.ts';

// The notification items' conditions, against DynamoDB Local: a workspace serves one tenant, a Slack link is
// confirmed only with its nonce by the member it names, a signature is used once, a delivery is settled once.
const { db, tables } = dynamoStores();
const settingsStore = new DynamoNotificationSettingsStore(db, tables);
const contacts = new DynamoContactStore(db, tables);
const ledger = new DynamoDeliveryLedger(db, tables);
const guard = new DynamoInteractionGuard(db, tables);
const team = () => `T${randomBytes(5).toString('hex').toUpperCase()}`;
const settings = (tenantId: string, slackTeamId: string | undefined, version: number): NotificationSettings => ({ tenantId, ...(slackTeamId ? { slackTeamId } : {}), webhooks: [], version, updatedAt: '2030-01-01T00:00:00.000Z', updatedBy: 'ada' });

describe('notification items in DynamoDB Local', () => {
  it('lets one tenant alone claim a Slack workspace, and releases it when the tenant moves on', async () => {
    const [acme, globex, workspace] = [freshTenant('acme'), freshTenant('globex'), team()];
    await settingsStore.put(settings(acme, workspace, 1), 0);
    expect(await settingsStore.tenantOfTeam(workspace)).toBe(acme);
    await expect(settingsStore.put(settings(globex, workspace, 1), 0)).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await settingsStore.get(globex)).toBeUndefined();
    await expect(settingsStore.put(settings(acme, workspace, 2), 0)).rejects.toBeInstanceOf(ConcurrentModificationError);

    const other = team();
    await settingsStore.put(settings(acme, other, 2), 1, workspace);
    expect(await settingsStore.tenantOfTeam(workspace)).toBeUndefined();
    await settingsStore.put(settings(globex, workspace, 1), 0);
    expect(await settingsStore.tenantOfTeam(workspace)).toBe(globex);
  });

  it('confirms a Slack link only with its nonce, from the member it names, and within its tenant', async () => {
    const [tenant, other] = [freshTenant(), freshTenant()];
    const bob = user(tenant, 'bob', ['approver'], ['dba']);
    await contacts.put({ tenantId: tenant, principal: bob, slackUserId: 'UBOB00001', slackNonce: 'nonce', linkedAt: '', expiresAt: '2099-01-01T00:00:00.000Z' });
    expect(await contacts.confirmSlack(tenant, 'bob', 'wrong', 'UBOB00001', '2030-01-01T00:00:00.000Z')).toBe(false);
    expect(await contacts.confirmSlack(tenant, 'bob', 'nonce', 'UMALLORY1', '2030-01-01T00:00:00.000Z')).toBe(false);
    expect(await contacts.confirmSlack(other, 'bob', 'nonce', 'UBOB00001', '2030-01-01T00:00:00.000Z')).toBe(false);
    expect(await contacts.bySlackUser(tenant, 'UBOB00001')).toBeUndefined();
    expect(await contacts.confirmSlack(tenant, 'bob', 'nonce', 'UBOB00001', '2030-01-01T00:00:00.000Z')).toBe(true);
    expect(await contacts.confirmSlack(tenant, 'bob', 'nonce', 'UBOB00001', '2030-01-01T00:00:00.000Z')).toBe(false);
    expect((await contacts.bySlackUser(tenant, 'UBOB00001'))?.principal).toEqual(bob);
    expect(await contacts.bySlackUser(other, 'UBOB00001')).toBeUndefined();
    // Linking another member ends the old one's acting as bob.
    await contacts.put({ tenantId: tenant, principal: bob, slackUserId: 'UBOB00002', slackNonce: 'n2', linkedAt: '', expiresAt: '2099-01-01T00:00:00.000Z' });
    expect(await contacts.bySlackUser(tenant, 'UBOB00001')).toBeUndefined();
  });

  it('accepts a signature once', async () => {
    const digest = randomBytes(32).toString('hex');
    const expires = new Date(Date.now() + 600_000);
    expect(await guard.firstUse(digest, expires)).toBe(true);
    expect(await guard.firstUse(digest, expires)).toBe(false);
  });

  it('settles a delivery as sent, or parked after counted failures, and lists the parked newest first', async () => {
    const tenant = freshTenant();
    const key = (channel: string) => ({ tenantId: tenant, eventId: 'e'.repeat(64), channel });
    expect(await ledger.settled(key('slack:C1'))).toBeUndefined();
    await ledger.markSent(key('slack:C1'), '2030-01-01T00:00:00.000Z');
    expect(await ledger.settled(key('slack:C1'))).toBe('sent');
    expect(await ledger.recordFailure(key('webhook:wh_1'), 'Error: 500', '2030-01-01T00:00:01.000Z')).toBe(1);
    expect(await ledger.recordFailure(key('webhook:wh_1'), 'Error: 500', '2030-01-01T00:00:02.000Z')).toBe(2);
    expect(await ledger.settled(key('webhook:wh_1'))).toBeUndefined();
    await ledger.park({ ...key('webhook:wh_1'), action: 'request.created', requestId: 'req_0000000001', attempts: 2, lastError: 'Error: 500', parkedAt: '2030-01-01T00:00:02.000Z' });
    await ledger.park({ ...key('email:a@example.com'), action: 'request.created', attempts: 3, lastError: 'Error: x', parkedAt: '2030-01-01T00:00:03.000Z' });
    expect(await ledger.settled(key('webhook:wh_1'))).toBe('parked');
    expect((await ledger.listParked(tenant, 10)).map((p) => p.channel)).toEqual(['email:a@example.com', 'webhook:wh_1']);
    expect(await ledger.listParked(freshTenant(), 10)).toEqual([]);
  });
});
