import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, type IdempotencyStore } from '../../http/idempotency.ts';
import { mainKeys } from '../dynamodb/keys.ts';

/** How long a key is kept (and its answer replayed): a day covers any client's retry budget. */
export const idempotencyKeySeconds = 24 * 60 * 60;

/**
 * Powertools Idempotency with its DynamoDB persistence layer (table: infra/tables.yml IdempotencyTable,
 * partition key `id`, TTL on `expiration`). The record's key is `T#tenant#IDEM#<sha256 of [kind, caller, key]>`:
 * it leads with the tenant like every other key (keys.ts), and the caller is inside the hash, so a key sent by
 * one caller can never find another's record. The payload check covers route, path and body: the same key for
 * another call is a 422, not a replay of the wrong answer.
 *
 * The persistence layer keeps the key prefix as mutable state, so each call gets its own (a few objects; the
 * DynamoDB client is the shared one): the local stack serves concurrent calls in one process, which a Lambda
 * container never does.
 *
 * Powertools stores an answer only when the function returns; a thrown error deletes the in-progress record,
 * so a refused call leaves nothing behind and its retry runs again. A second call while the first is running
 * finds the record INPROGRESS and is refused with 409 (no waiting: the first may run for the function's whole
 * timeout); once the first finishes, a retry replays its answer. An in-progress record left by a function that
 * died expires with the remaining time of its invocation, after which the key runs afresh.
 */
export class PowertoolsIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async run(...[scope, call, execute]: Parameters<IdempotencyStore['run']>): ReturnType<IdempotencyStore['run']> {
    const { principal, key, remainingMs } = scope;
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'scope',
      payloadValidationJmesPath: 'call',
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: idempotencyKeySeconds,
      hashFunction: 'sha256',
      responseHook: (response) => ({ ...(response as object), replayed: true }),
    });
    // Powertools reads only getRemainingTimeInMillis, for the in-progress record's expiry.
    if (remainingMs !== undefined) config.registerLambdaContext({ getRemainingTimeInMillis: () => remainingMs } as Parameters<IdempotencyConfig['registerLambdaContext']>[0]);
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName: this.tableName, awsSdkV3Client: this.client });
    const once = makeIdempotent(async (_payload: unknown) => ({ ...(await execute()), replayed: false }), {
      persistenceStore,
      config,
      keyPrefix: `${mainKeys.tenant(principal.tenantId)}#IDEM`,
    });
    try {
      return (await once({ scope: [principal.kind, principal.id, key], call })) as Awaited<ReturnType<IdempotencyStore['run']>>;
    } catch (error) {
      const name = (error as { name?: string } | undefined)?.name;
      if (name === 'IdempotencyValidationError') throw new IdempotencyKeyReusedError();
      if (name === 'IdempotencyAlreadyInProgressError') throw new IdempotencyInProgressError();
      throw error;
    }
  }
}
