import middy from '@middy/core';
import { observeInvocation } from '#shared/adapters/powertools/invocation';
import { logger } from '#shared/adapters/powertools/logger';
import type { MintingDeps } from '#shared/minting/deps';
import { noTenantScope, type TenantScope } from '#shared/kernel/ports';
import { sweepDeadlines } from '#shared/requests/sweep-deadlines';
import { terminateGrantSessions } from '#shared/minting/terminate-grant-sessions';

/**
 * The sweeper's chain, apart from its wiring so a test can run it on fakes: its own logger
 * context and metrics flush, like every HTTP route's, so none of its lines carry what a
 * previous invocation in the same container appended.
 */
export function sweepHandler(deps: MintingDeps, asTenant: TenantScope = noTenantScope) {
  return middy()
    .use(observeInvocation())
    .handler(async (): Promise<void> => {
      const result = await sweepDeadlines(deps, {
        asTenant,
        onGrantEnded: async (tenantId, requestId) => {
          await terminateGrantSessions(deps, tenantId, requestId, 'window_ended');
        },
      });
      logger.info('deadlines swept', result);
    });
}
