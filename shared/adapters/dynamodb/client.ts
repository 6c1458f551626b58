import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config.ts';

type ClientConfig = Pick<Config, 'AWS_REGION' | 'DYNAMODB_ENDPOINT' | 'AWS_SDK_MAX_SOCKETS'>;

export function createDocumentClient(config: ClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(config), { marshallOptions: { removeUndefinedValues: true } });
}

/** The plain client, for libraries that marshal their own items (Powertools Idempotency). */
export function createDynamoClient(config: ClientConfig): DynamoDBClient {
  // The agent is sized only when the local stack asks (config.ts says why); otherwise the SDK's default.
  const agent = config.AWS_SDK_MAX_SOCKETS ? { keepAlive: true, maxSockets: config.AWS_SDK_MAX_SOCKETS } : undefined;
  return new DynamoDBClient({
    region: config.AWS_REGION,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
    ...(agent ? { requestHandler: { httpAgent: agent, httpsAgent: agent } } : {}),
    maxAttempts: 3,
  });
}

export type Tables = { main: string; log: string };
