import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { repoRoot } from '../paths.ts';
import type { FunctionDef } from './route-table.ts';

// Runs a function's handler in this process the way Lambda would call it:
// the module is imported once (a cold start, then warm), the handler gets a
// Lambda-shaped context, and an invocation that outlives the function's
// timeout fails as a timed-out Lambda does. A real Lambda is frozen at its
// timeout; here the promise keeps running, but its result is discarded.

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export const LOCAL_ACCOUNT_ID = '000000000000';

export class LambdaTimeoutError extends Error {}

export interface LambdaRuntimeOptions {
  service: string;
  stage: string;
  region: string;
}

export interface LambdaRuntime {
  invoke(fn: FunctionDef, event: unknown): Promise<unknown>;
  /** Imports every handler now so a broken module shows up at start-up; returns the failures. */
  warm(functions: Iterable<FunctionDef>): Promise<{ name: string; error: string }[]>;
}

export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntime {
  const loaded = new Map<string, Promise<LambdaHandler>>();

  const load = (fn: FunctionDef): Promise<LambdaHandler> => {
    let handler = loaded.get(fn.name);
    if (!handler) {
      handler = importHandler(fn);
      loaded.set(fn.name, handler);
      // A module that does not exist yet may exist on the next request (someone is writing it).
      handler.catch(() => loaded.delete(fn.name));
    }
    return handler;
  };

  return {
    async invoke(fn, event) {
      const handler = await load(fn);
      const context = lambdaContext(fn, options);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LambdaTimeoutError(`${fn.name} timed out after ${fn.timeoutSeconds} s`)), fn.timeoutSeconds * 1000);
      });
      try {
        return await Promise.race([handler(event, context), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async warm(functions) {
      const failures: { name: string; error: string }[] = [];
      await Promise.all(
        [...functions].map((fn) => load(fn).catch((error: unknown) => failures.push({ name: fn.name, error: (error as Error).message }))),
      );
      return failures;
    },
  };
}

async function importHandler(fn: FunctionDef): Promise<LambdaHandler> {
  const candidates = ['.ts', '.js', '.mjs'].map((ext) => join(repoRoot, `${fn.module}${ext}`));
  const file = candidates.find((path) => existsSync(path));
  if (!file) throw new Error(`${fn.module}.ts does not exist`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const handler = mod[fn.exportName];
  if (typeof handler !== 'function') throw new Error(`${fn.module} does not export a function "${fn.exportName}"`);
  return handler as LambdaHandler;
}

function lambdaContext(fn: FunctionDef, options: LambdaRuntimeOptions): Context {
  const functionName = `${options.service}-${options.stage}-${fn.name}`;
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const requestId = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
