import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { LogEvent } from '../../grant-log/index.ts';
import { logEventOf } from './keys.ts';

/** The grant-log event a stream record inserted, or undefined for anything else (chain heads, modifications). */
export function insertedLogEvent(record: DynamoDBRecord): LogEvent | undefined {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (typeof item.SK !== 'string' || !item.SK.startsWith('EV#')) return undefined;
  return logEventOf(item) as LogEvent;
}
