import { issueCredentials } from '#shared/minting/issue-credentials';
import type { Principal } from '#shared/kernel/principal';
import { faultMintingDeps, type FaultMintingSettings } from './fault-minting.ts';

// Run by tests/integration/minting-faults.test.ts as a child process standing in for a Lambda
// invocation: it mints once, and the test kills it (SIGKILL) while its record write is held by the
// fault proxy. Whatever it would have printed never reaches anyone.

const { settings, principal, requestId } = JSON.parse(process.argv[2] ?? '{}') as { settings: FaultMintingSettings; principal: Principal; requestId: string };
const credentials = await issueCredentials(faultMintingDeps(settings), principal, { requestId, ssm: {} });
process.stdout.write(`${JSON.stringify({ issued: credentials.audit })}\n`);
