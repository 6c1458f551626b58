import { AlreadyExistsError, ConcurrentModificationError } from '#shared/kernel/errors';
import { ExternalIdTakenError } from '#shared/integrations/errors';
import type { LogEntry } from '#shared/grant-log/events';
import type { Integration } from '#shared/integrations/integration';
import type { ProbeResult } from '#shared/integrations/role-verification';
import type { Page, PageRequest } from '#shared/kernel/ports';
import type { IntegrationRegistry, ProbeRequest, RoleProbe } from '#shared/integrations/ports';
import { InMemoryGrantLog } from './grant-log.ts';
import { key, paginate } from './paging.ts';

// In-memory ports of the integration use cases, keeping DynamoIntegrationRegistry's
// promises: one transaction for state and event, the external ID claimed across
// tenants, writes conditional on the version (and on the external ID and account)
// (tests/contract/integration-registry.contract.ts).

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
    return paginate(all, key('integrations', tenantId), page);
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
  readonly requestsFromAnotherPrincipal: ProbeRequest[] = [];
  /** `fromAnotherPrincipal`: by default a trust policy that names the broker alone refuses everyone else. */
  constructor(
    private readonly answer: (request: ProbeRequest) => ProbeResult,
    private readonly fromAnotherPrincipal: (request: ProbeRequest) => ProbeResult = () => ({ outcome: 'denied', action: 'sts:AssumeRole' }),
  ) {}
  async probe(request: ProbeRequest): Promise<ProbeResult> {
    this.requests.push(structuredClone(request));
    return this.answer(request);
  }
  async probeFromAnotherPrincipal(request: ProbeRequest): Promise<ProbeResult> {
    this.requestsFromAnotherPrincipal.push(structuredClone(request));
    return this.fromAnotherPrincipal(request);
  }
}
