import { asTenant, mintingDeps } from '#shared/wiring/minting';
import { sweepHandler } from './sweep.ts';

// Scheduled (EventBridge): expires undecided requests, ends closed grants and their SSM sessions.
export const handler = sweepHandler(mintingDeps, asTenant);
