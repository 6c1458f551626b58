import { DynamoIntegrationRegistry } from '#shared/adapters/dynamodb/integration-registry';
import { DynamoIssuanceStore } from '#shared/adapters/dynamodb/issuance-store';
import { describeIntegrationRegistryContract } from '../../contract/integration-registry.contract.ts';
import { describeIssuanceStoreContract } from '../../contract/issuance-store.contract.ts';
import { describeRequestStoreContract } from '../../contract/request-store.contract.ts';
import { describeServiceStoreContract } from '../../contract/service-store.contract.ts';
import { describeTargetStoreContract } from '../../contract/target-store.contract.ts';
import { dynamoStores } from '../../support/dynamo.ts';

// The DynamoDB adapters against DynamoDB Local (started by the global setup),
// on the same contract cases as the fakes (tests/unit/contract/fakes.contract.test.ts).

const stores = dynamoStores();
const events = (tenantId: string) => stores.events(tenantId);

describeRequestStoreContract('DynamoRequestStore', () => ({ store: stores.requests, events }));
describeTargetStoreContract('DynamoTargetStore', () => ({ store: stores.targets, events }));
describeServiceStoreContract('DynamoServiceStore', () => ({ store: stores.services, events }));
describeIntegrationRegistryContract('DynamoIntegrationRegistry', () => ({ store: new DynamoIntegrationRegistry(stores.db, stores.tables, stores.log), events }));
describeIssuanceStoreContract('DynamoIssuanceStore', () => ({ store: new DynamoIssuanceStore(stores.db, stores.tables, stores.log), requests: stores.requests, events }));
