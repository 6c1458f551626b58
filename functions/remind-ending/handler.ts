import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger } from '#shared/adapters/powertools/logger';
import { observeInvocation } from '#shared/adapters/powertools/invocation';
import { remindEndingGrants, type ReminderResult } from '#shared/notifications/index';
import { reminderDeps } from '#shared/wiring/notifications';

// Scheduled (EventBridge): tells requesters, by Slack DM, that their grant ends within 15 minutes.
export const handler = middy<ScheduledEvent, ReminderResult, Error, Context>()
  .use(observeInvocation())
  .handler(async () => {
    const result = await remindEndingGrants(reminderDeps);
    if (result.reminded + result.failed > 0) logger.info('ending-soon reminders', { ...result });
    return result;
  });
