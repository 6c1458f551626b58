import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { LambdaRuntime } from './lambda-runtime.ts';
import type { FunctionDef, RouteTable, StreamSource } from './route-table.ts';

// `stream` events, served the way Lambda's event source mapping serves a DynamoDB stream: DynamoDB Local's own
// Streams API (DescribeStream, GetShardIterator, GetRecords) polled shard by shard, parents before children,
// each batch handed to the function in the Lambda event shape, and in order within a shard:
// - a batch that throws (a crash) comes back whole; with ReportBatchItemFailures, a batch that reports an item
//   comes back from that item; either after a back-off (0.5 s doubling, at most 5 s), and at most
//   serverless.yml's `maximumRetryAttempts` times (then it is skipped, as a mapping without an on-failure
//   destination drops it; -1, AWS's default, never gives up);
// - where each shard got to is kept in `checkpointFile`, so a restart resumes instead of starting over.
// Not modelled: parallelization factor, batching windows, bisecting, tumbling windows, filters other than eventName.

export interface StreamPollers {
  stop(): Promise<void>;
}

export interface StreamPollerOptions {
  dynamodbEndpoint: string;
  region: string;
  /** Logical ids of infra/tables.yml to table names, as the local stack created them. */
  tableNames: Record<string, string>;
  everyMs?: number;
  checkpointFile?: string;
}

type Checkpoints = Record<string, Record<string, string>>;

export function startStreamPollers(table: RouteTable, runtime: LambdaRuntime, options: StreamPollerOptions): StreamPollers {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const streams = new DynamoDBStreamsClient({ endpoint: options.dynamodbEndpoint, region: options.region, credentials });
  const dynamodb = new DynamoDBClient({ endpoint: options.dynamodbEndpoint, region: options.region, credentials });
  const checkpoints: Checkpoints = readCheckpoints(options.checkpointFile);
  const saveCheckpoint = (streamArn: string, shardId: string, seq: string) => {
    (checkpoints[streamArn] ??= {})[shardId] = seq;
    if (options.checkpointFile) writeFileSync(options.checkpointFile, JSON.stringify(checkpoints));
  };
  let stopped = false;
  const loops: Promise<void>[] = [];
  for (const fn of table.functions.values()) {
    for (const source of fn.streams) {
      const tableName = options.tableNames[source.tableLogicalId];
      if (!tableName) throw new Error(`serverless.yml: ${fn.name} reads the stream of ${source.tableLogicalId}, a table the local stack does not create`);
      const poller = new ShardPoller(fn, source, runtime, streams, checkpoints, saveCheckpoint);
      loops.push(
        (async () => {
          const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
          const streamArn = Table?.LatestStreamArn;
          if (!streamArn) throw new Error(`table ${tableName} has no stream (infra/tables.yml StreamSpecification)`);
          while (!stopped) {
            await poller.pollOnce(streamArn, table.region).catch((error: unknown) => console.error(`local-api stream ${fn.name}: ${(error as Error).name}: ${(error as Error).message}`));
            await sleep(options.everyMs ?? 250);
          }
        })().catch((error: unknown) => console.error(`local-api stream ${fn.name} stopped: ${(error as Error).message}`)),
      );
    }
  }
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      streams.destroy();
      dynamodb.destroy();
    },
  };
}

class ShardPoller {
  private readonly iterators = new Map<string, string>();
  private readonly closed = new Set<string>();
  private readonly failures = new Map<string, { seq: string; attempts: number; retryAt: number }>();

  constructor(
    private readonly fn: FunctionDef,
    private readonly source: StreamSource,
    private readonly runtime: LambdaRuntime,
    private readonly client: DynamoDBStreamsClient,
    private readonly checkpoints: Checkpoints,
    private readonly save: (streamArn: string, shardId: string, seq: string) => void,
  ) {}

  async pollOnce(streamArn: string, region: string): Promise<void> {
    const shards = await this.shards(streamArn);
    const known = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) {
      const id = shard.ShardId ?? '';
      // A child waits for its parent to be read to its end: order holds across a shard split.
      if (this.closed.has(id) || (shard.ParentShardId && known.has(shard.ParentShardId) && !this.closed.has(shard.ParentShardId))) continue;
      try {
        await this.pollShard(streamArn, id, region);
      } catch (error) {
        // An iterator DynamoDB Local no longer honours (expired, or made while the shard was still empty, which it
        // answers with TrimmedDataAccessException): make a new one next time; only the first is worth a word.
        this.iterators.delete(id);
        if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      }
    }
  }

  private async shards(streamArn: string): Promise<Shard[]> {
    const out: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.client.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
      out.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return out;
  }

  private async iterator(streamArn: string, shardId: string, at?: string): Promise<string | undefined> {
    const done = this.checkpoints[streamArn]?.[shardId];
    const input = at
      ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER' as const, SequenceNumber: at }
      : done
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: done }
        : { ShardIteratorType: this.source.startingPosition };
    const { ShardIterator } = await this.client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...input }));
    return ShardIterator;
  }

  private async pollShard(streamArn: string, shardId: string, region: string): Promise<void> {
    const failure = this.failures.get(shardId);
    if (failure && Date.now() < failure.retryAt) return;
    let iterator = this.iterators.get(shardId) ?? (await this.iterator(streamArn, shardId, failure?.seq));
    if (!iterator) return void this.closed.add(shardId);
    const { Records = [], NextShardIterator } = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.source.batchSize }));
    const records = Records.filter((r) => !this.source.eventNames || this.source.eventNames.includes(r.eventName ?? ''));
    const failedAt = records.length > 0 ? await this.invoke(records, streamArn, region) : undefined;
    if (failedAt) {
      const attempts = failure?.seq === failedAt ? failure.attempts + 1 : 1;
      const { maxRetries } = this.source;
      if (maxRetries < 0 || attempts <= maxRetries) {
        console.error(`local-api stream ${this.fn.name}: batch failed at ${failedAt}, retry ${attempts}${maxRetries < 0 ? '' : ` of ${maxRetries}`}`);
        this.failures.set(shardId, { seq: failedAt, attempts, retryAt: Date.now() + Math.min(5_000, 500 * 2 ** (attempts - 1)) });
        this.iterators.delete(shardId);
        return;
      }
      console.error(`local-api stream ${this.fn.name}: batch at ${failedAt} failed ${attempts} times; skipped`);
    }
    this.failures.delete(shardId);
    const last = Records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) this.save(streamArn, shardId, last);
    iterator = NextShardIterator ?? '';
    if (iterator) this.iterators.set(shardId, iterator);
    else {
      this.iterators.delete(shardId);
      this.closed.add(shardId);
    }
  }

  /** The sequence number the batch must come back from, or undefined when it succeeded. */
  private async invoke(records: StreamRecord[], streamArn: string, region: string): Promise<string | undefined> {
    const event: DynamoDBStreamEvent = { Records: records.map((r) => lambdaRecord(r, streamArn, region)) };
    try {
      const answer = (await this.runtime.invoke(this.fn, event)) as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined;
      if (!this.source.reportBatchItemFailures) return undefined;
      const failed = (answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier ?? '');
      // Lambda resumes from the lowest reported sequence number (numeric strings of one shard compare by length, then text).
      return failed.sort((a, b) => a.length - b.length || a.localeCompare(b))[0];
    } catch (error) {
      console.error(`local-api stream ${this.fn.name} failed: ${(error as Error).message}`);
      return records[0]?.dynamodb?.SequenceNumber;
    }
  }
}

/** The Lambda event shape of one stream record (what the DynamoDB event source mapping hands a function). */
function lambdaRecord(record: StreamRecord, streamArn: string, region: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(d.ApproximateCreationDateTime ? { ApproximateCreationDateTime: Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) } : {}),
      Keys: d.Keys as never,
      ...(d.NewImage ? { NewImage: d.NewImage as never } : {}),
      ...(d.OldImage ? { OldImage: d.OldImage as never } : {}),
      SequenceNumber: d.SequenceNumber ?? '',
      SizeBytes: d.SizeBytes ?? 0,
      StreamViewType: d.StreamViewType as never,
    },
  };
}

function readCheckpoints(file: string | undefined): Checkpoints {
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Checkpoints;
  } catch {
    return {};
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
