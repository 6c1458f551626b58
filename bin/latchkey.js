#!/usr/bin/env node
// The `latchkey` command (package.json "bin"): runs the TypeScript in cli/
// through tsx's loader, so `npx latchkey` works from a checkout with no build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
// exit() rather than exitCode: a timer or child a command left behind must not keep the prompt waiting.
process.exit(await main(process.argv.slice(2)));
