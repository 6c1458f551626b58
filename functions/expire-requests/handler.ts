import { logger } from '#shared/http/logger';
import { sweepDeadlines } from '#shared/requests/sweep-deadlines';
import { terminateGrantSessions } from '#shared/minting/terminate-grant-sessions';
import { mintingDeps } from '#shared/wiring/minting';

// Scheduled (EventBridge): expires undecided requests, ends closed grants and their SSM sessions.
export const handler = async (): Promise<void> => {
  const result = await sweepDeadlines(mintingDeps, {
    onGrantEnded: async (tenantId, requestId) => {
      await terminateGrantSessions(mintingDeps, tenantId, requestId, 'window_ended');
    },
  });
  logger.info('deadlines swept', result);
};
