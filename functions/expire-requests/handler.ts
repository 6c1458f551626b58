import { logger } from '#shared/http/logger';
import { sweepDeadlines } from '#shared/use-cases/sweep-deadlines';
import { deps } from '#shared/wiring';

// Scheduled (EventBridge): expires undecided requests and ends closed grants.
export const handler = async (): Promise<void> => {
  const result = await sweepDeadlines(deps);
  logger.info('deadlines swept', result);
};
