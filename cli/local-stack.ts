import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localStackHome } from './paths.ts';

// The local stack (`npm start`) writes <home>/stack.json while it runs: its API
// URL, its issuer, the local CA and the environment that lets database clients
// resolve the RDS names to 127.0.0.1. The CLI defaults to it, and treats an API
// URL that is the local stack's as local (dev tunnel, local CA).

export interface LocalStack {
  apiUrl: string;
  issuer: string;
  audience: string;
  region: string;
  caBundle?: string;
  clientEnv?: Record<string, string>;
}

export function readLocalStack(env: NodeJS.ProcessEnv = process.env): LocalStack | undefined {
  let parsed: Partial<LocalStack> & { ready?: boolean };
  try {
    parsed = JSON.parse(readFileSync(join(localStackHome(env), 'stack.json'), 'utf8')) as typeof parsed;
  } catch {
    return undefined;
  }
  if (parsed.ready !== true || typeof parsed.apiUrl !== 'string' || typeof parsed.issuer !== 'string') return undefined;
  return {
    apiUrl: parsed.apiUrl,
    issuer: parsed.issuer,
    audience: typeof parsed.audience === 'string' ? parsed.audience : 'latchkey',
    region: typeof parsed.region === 'string' ? parsed.region : 'eu-central-1',
    ...(typeof parsed.caBundle === 'string' ? { caBundle: parsed.caBundle } : {}),
    ...(parsed.clientEnv && typeof parsed.clientEnv === 'object' ? { clientEnv: parsed.clientEnv } : {}),
  };
}
