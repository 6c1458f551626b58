import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#shared/adapters/powertools/logger';
import { observeInvocation } from '#shared/adapters/powertools/invocation';
import { insertedLogEvent } from '#shared/adapters/dynamodb/stream-records';
import { deliverBatch } from '#shared/notifications/index';
import { notifierDeps } from '#shared/wiring/notifications';

// The grant log's DynamoDB stream (serverless.yml: ReportBatchItemFailures): the batch comes back from the
// earliest record with a delivery left to retry, and only what the delivery ledger lacks goes out again.
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(observeInvocation())
  .handler(async (event) => {
    const items = event.Records.map((record) => ({ id: record.dynamodb?.SequenceNumber ?? '', event: insertedLogEvent(record) }));
    const report = await deliverBatch(notifierDeps, items);
    for (const p of report.parked) logger.error('deliveries parked', { tenantId: p.event.tenantId, action: p.event.action, channels: p.channels });
    for (const r of report.retrying) logger.warn('deliveries to retry', { tenantId: r.event.tenantId, action: r.event.action, channels: r.channels, ...(r.error ? { error: r.error } : {}) });
    return { batchItemFailures: report.firstFailed ? [{ itemIdentifier: report.firstFailed }] : [] };
  });
