import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { TunnelOptions } from './tunnel-client.ts';

// The command line of `npm run tunnel` (dev/tunnel.ts). Two forms:
//   npm run tunnel -- --stream-url URL --local-port N       TokenValue in $LATCHKEY_SSM_TOKEN
//   session-manager-plugin VAR REGION StartSession PROFILE PARAMETERS ENDPOINT
// The second is the plugin's own argv, as the AWS CLI and Latchkey's
// `pluginCommand` call it (VAR names an environment variable holding the
// StartSession response): with dev/bin on PATH, that printed command works
// against the local stack unchanged. The TokenValue is never read from argv,
// where every user of the machine could see it (`ps`).

export const TOKEN_ENV = 'LATCHKEY_SSM_TOKEN';

export const TUNNEL_USAGE = `usage: npm run tunnel -- --stream-url URL --local-port N     (TokenValue in $${TOKEN_ENV})
       session-manager-plugin RESPONSE_VAR REGION StartSession PROFILE PARAMETERS_JSON ENDPOINT   (dev/bin on PATH)`;

export class TunnelUsageError extends Error {}

const port = z.coerce.number().int().min(0).max(65_535);
const responseSchema = z.object({ SessionId: z.string().min(1), TokenValue: z.string().min(1), StreamUrl: z.string().url() });
const parametersSchema = z.object({ Parameters: z.object({ localPortNumber: z.array(port).min(1) }) });

export function parseTunnelArgs(argv: string[], env: NodeJS.ProcessEnv): TunnelOptions & { sessionId?: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'stream-url': { type: 'string' }, 'local-port': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) throw new TunnelUsageError(TUNNEL_USAGE);
  if (positionals.length > 0) return pluginForm(positionals, env);
  const token = env[TOKEN_ENV];
  if (!values['stream-url'] || values['local-port'] === undefined) throw new TunnelUsageError(`--stream-url and --local-port are required\n${TUNNEL_USAGE}`);
  if (!token) throw new TunnelUsageError(`set $${TOKEN_ENV} to the session's TokenValue (it is never taken from the command line)`);
  const localPort = port.safeParse(values['local-port']);
  if (!localPort.success) throw new TunnelUsageError(`--local-port must be a port number, not "${values['local-port']}"`);
  return { streamUrl: values['stream-url'], token, localPort: localPort.data };
}

function pluginForm([response, , operation, , parameters]: string[], env: NodeJS.ProcessEnv): TunnelOptions & { sessionId: string } {
  if (operation !== 'StartSession' || parameters === undefined) throw new TunnelUsageError(TUNNEL_USAGE);
  if (response?.trimStart().startsWith('{')) {
    throw new TunnelUsageError('the StartSession response (and its TokenValue) is on the command line; put it in an environment variable and pass its name (pluginCommand, not pluginCommandLegacy)');
  }
  const fromEnv = response ? env[response] : undefined;
  if (!fromEnv) throw new TunnelUsageError(`environment variable ${response ?? ''} holds no StartSession response`);
  const parsed = responseSchema.safeParse(parseJson(fromEnv));
  if (!parsed.success) throw new TunnelUsageError(`${response} is not a StartSession response with SessionId, TokenValue and StreamUrl`);
  const request = parametersSchema.safeParse(parseJson(parameters));
  if (!request.success) throw new TunnelUsageError('the request parameters have no Parameters.localPortNumber');
  return { streamUrl: parsed.data.StreamUrl, token: parsed.data.TokenValue, localPort: request.data.Parameters.localPortNumber[0] ?? 0, sessionId: parsed.data.SessionId };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
