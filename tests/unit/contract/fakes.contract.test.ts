import { describeIntegrationRegistryContract } from '../../contract/integration-registry.contract.ts';
import { describeIssuanceStoreContract } from '../../contract/issuance-store.contract.ts';
import { describeRequestStoreContract } from '../../contract/request-store.contract.ts';
import { describeServiceStoreContract } from '../../contract/service-store.contract.ts';
import { describeTargetStoreContract } from '../../contract/target-store.contract.ts';
import {
  InMemoryGrantLog, InMemoryIntegrationRegistry, InMemoryIssuanceStore, InMemoryRequestStore, InMemoryServiceStore, InMemoryTargetStore,
} from '../../support/fakes/index.ts';

// The fakes against the same contract cases as the DynamoDB adapters
// (tests/integration/contract/dynamodb.contract.test.ts): a use case that passes
// against a fake then has the guarantees it has against DynamoDB.

const events = (log: InMemoryGrantLog) => async (tenantId: string) => log.forTenant(tenantId);

describeRequestStoreContract('InMemoryRequestStore', () => {
  const log = new InMemoryGrantLog();
  return { store: new InMemoryRequestStore(log), events: events(log) };
});

describeTargetStoreContract('InMemoryTargetStore', () => {
  const log = new InMemoryGrantLog();
  return { store: new InMemoryTargetStore(log), events: events(log) };
});

describeServiceStoreContract('InMemoryServiceStore', () => {
  const log = new InMemoryGrantLog();
  return { store: new InMemoryServiceStore(log), events: events(log) };
});

describeIntegrationRegistryContract('InMemoryIntegrationRegistry', () => {
  const log = new InMemoryGrantLog();
  return { store: new InMemoryIntegrationRegistry(log), events: events(log) };
});

describeIssuanceStoreContract('InMemoryIssuanceStore', () => {
  const log = new InMemoryGrantLog();
  const requests = new InMemoryRequestStore(log);
  const store = new InMemoryIssuanceStore(requests, log);
  requests.alsoDue.push(() => store.dueDbSessions());
  return { store, requests, events: events(log) };
});
