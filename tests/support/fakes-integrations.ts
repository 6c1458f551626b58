import { AlreadyExistsError, ConcurrentModificationError, ValidationError } from '#shared/kernel/errors';
import { ExternalIdTakenError } from '#shared/integrations/errors';
import type { LogEntry } from '#shared/grant-log/events';
import type { Integration } from '#shared/integrations/integration';
import type { ProbeResult } from '#shared/integrations/role-verification';
import type { Page, PageRequest } from '#shared/kernel/ports';
import type { IntegrationRegistry, ProbeRequest, RoleProbe } from '#shared/integrations/ports';
import type { IntegrationDeps } from '#shared/integrations/deps';
import { InMemoryGrantLog, fakeDeps, type FakeDeps } from './fakes.ts';

// In-memory ports of the integration use cases, keeping the DynamoDB adapter's
// promises: one transaction for state and event, the external ID claimed across
// tenants, writes conditional on the version (and on the external ID and account).

const key = (...parts: string[]) => parts.join('\u0000');

export class InMemoryIntegrationRegistry implements IntegrationRegistry {
  readonly items = new Map<string, Integration>();
  readonly externalIds = new Map<string, string>();
  constructor(readonly log = new InMemoryGrantLog()) {}

  seed(integration: Integration): void {
    this.items.set(key(integration.tenantId, integration.integrationId), structuredClone(integration));
    this.externalIds.set(integration.externalId, key(integration.tenantId, integration.integrationId));
  }

  async get(tenantId: string, integrationId: string): Promise<Integration | undefined> {
    const item = this.items.get(key(tenantId, integrationId));
    return item && structuredClone(item);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Integration>> {
    const all = [...this.items.values()].filter((i) => i.tenantId === tenantId).sort((a, b) => (a.integrationId < b.integrationId ? -1 : 1));
    const start = page.cursor === undefined ? 0 : Number.parseInt(page.cursor, 10);
    if (!Number.isInteger(start) || start < 0) throw new ValidationError('The cursor is not valid.');
    const end = start + page.limit;
    return { items: all.slice(start, end).map((i) => structuredClone(i)), ...(end < all.length ? { nextCursor: String(end) } : {}) };
  }

  async create(integration: Integration, entry: LogEntry): Promise<void> {
    const k = key(integration.tenantId, integration.integrationId);
    if (this.items.has(k)) throw new AlreadyExistsError('An integration with this id');
    if (this.externalIds.has(integration.externalId)) throw new ExternalIdTakenError();
    this.log.append([entry]);
    this.items.set(k, structuredClone(integration));
    this.externalIds.set(integration.externalId, k);
  }

  async save(integration: Integration, expectedVersion: number, entry: LogEntry): Promise<void> {
    const k = key(integration.tenantId, integration.integrationId);
    const stored = this.items.get(k);
    if (!stored || stored.version !== expectedVersion || stored.externalId !== integration.externalId || stored.accountId !== integration.accountId) {
      throw new ConcurrentModificationError('The integration');
    }
    this.log.append([entry]);
    this.items.set(k, structuredClone(integration));
  }
}

/** Answers each probe from a function of the request, and remembers what was asked. */
export class ScriptedRoleProbe implements RoleProbe {
  readonly requests: ProbeRequest[] = [];
  constructor(private readonly answer: (request: ProbeRequest) => ProbeResult) {}
  async probe(request: ProbeRequest): Promise<ProbeResult> {
    this.requests.push(structuredClone(request));
    return this.answer(request);
  }
}

export const BROKER = 'arn:aws:iam::999988887777:role/latchkey-test-broker';

/** A role configured as the setup says: assumable only with `externalId`. */
export const wellInstalled = (externalId: string, account = '111122223333') => (r: ProbeRequest): ProbeResult =>
  r.externalId === externalId ? { outcome: 'assumed', assumedRoleArn: `arn:aws:sts::${account}:assumed-role/LatchkeyAccess/${r.sessionName}` } : { outcome: 'denied', action: 'sts:AssumeRole' };

export type FakeIntegrationDeps = FakeDeps & IntegrationDeps & { integrations: InMemoryIntegrationRegistry; roleProbe: ScriptedRoleProbe };

export function fakeIntegrationDeps(options: { probe?: (r: ProbeRequest) => ProbeResult; settings?: IntegrationDeps['settings'] } = {}): FakeIntegrationDeps {
  const base = fakeDeps();
  let n = 0;
  return {
    ...base,
    integrations: new InMemoryIntegrationRegistry(base.log),
    roleProbe: new ScriptedRoleProbe(options.probe ?? (() => ({ outcome: 'denied' }))),
    settings: options.settings ?? { brokerRoleArn: BROKER },
    newExternalId: () => `lk-ext-${String(++n).padStart(32, 'a')}`,
  };
}
