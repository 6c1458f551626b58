import { ulid } from 'ulid';
import { claimNamesOf, loadConfig } from '../config.ts';
import { createDocumentClient } from '../adapters/dynamodb/client.ts';
import { TenantData } from '../adapters/dynamodb/tenant-data.ts';
import { createStsClient } from '../adapters/aws/sts-role-assumer.ts';
import { LogWriter } from '../adapters/dynamodb/log-writer.ts';
import { DynamoGrantLogReader } from '../adapters/dynamodb/grant-log-reader.ts';
import { DynamoRequestStore } from '../adapters/dynamodb/request-store.ts';
import { DynamoServiceStore } from '../adapters/dynamodb/service-store.ts';
import { DynamoTargetStore } from '../adapters/dynamodb/target-store.ts';
import { DynamoIntegrationRegistry } from '../adapters/dynamodb/integration-registry.ts';
import { createRoute } from '../http/route.ts';
import { metrics } from '../adapters/powertools/metrics.ts';
import { noTenantScope, type Clock, type IdGenerator, type TenantScope } from '../kernel/ports.ts';
import type { AuditDeps } from '../audit/query-events.ts';
import type { Deps } from '../requests/deps.ts';
import type { IntegrationDeps } from '../integrations/deps.ts';
import type { ChangeTargetDeps } from '../targets/change-target.ts';

// Built once per Lambda container at module scope and reused by warm invocations.
export const config = loadConfig();
const ownDb = createDocumentClient(config);
// Tenant isolation by IAM: with a tenant-data role, each caller's calls sign as a session tagged with
// their tenant (the route enters it as soon as it knows who calls); outside it, as the function's own role.
const tenantData = config.TENANT_DATA_ROLE_ARN
  ? new TenantData(ownDb, {
      roleArn: config.TENANT_DATA_ROLE_ARN,
      sts: createStsClient(config),
      region: config.AWS_REGION,
      ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
      ...(config.AWS_SDK_MAX_SOCKETS ? { maxSockets: config.AWS_SDK_MAX_SOCKETS } : {}),
    })
  : undefined;
export const db = tenantData?.client ?? ownDb;
export const asTenant: TenantScope = tenantData?.run ?? noTenantScope;
export const tables = { main: config.MAIN_TABLE, log: config.LOG_TABLE };
export const log = new LogWriter(db, tables);

export const systemClock: Clock = { now: () => new Date() };
export const ulidIds: IdGenerator = { next: (prefix) => `${prefix}_${ulid()}` };

export const deps: Deps = {
  clock: systemClock,
  ids: ulidIds,
  targets: new DynamoTargetStore(db, tables, log),
  requests: new DynamoRequestStore(db, tables, log),
  services: new DynamoServiceStore(db, tables, log),
  metrics,
};

/** The auditor use cases' collaborators: a reader of the grant log (Queries only) besides the request store. */
export const auditDeps: AuditDeps = { clock: systemClock, log: new DynamoGrantLogReader(db, tables), requests: deps.requests };

export const route = createRoute(deps.services, claimNamesOf(config), asTenant);

/** Integrations without the STS role probe, which only verify-integration needs (wiring-integrations.ts). */
export const integrationDeps: Omit<IntegrationDeps, 'roleProbe'> = {
  clock: systemClock,
  ids: deps.ids,
  targets: deps.targets,
  integrations: new DynamoIntegrationRegistry(db, tables, log),
  settings: {
    ...(config.BROKER_ROLE_ARN ? { brokerRoleArn: config.BROKER_ROLE_ARN } : {}),
    ...(config.SETUP_TEMPLATE_BASE_URL ? { templateBaseUrl: config.SETUP_TEMPLATE_BASE_URL } : {}),
  },
};

/** PUT /targets/{targetId}: the target store, the approved requests on it, and the integrations a target may move to. */
export const changeTargetDeps: ChangeTargetDeps = { clock: systemClock, targets: deps.targets, requests: deps.requests, integrations: integrationDeps.integrations };
