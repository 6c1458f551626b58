import { startTunnel, StreamRefusedError } from './tunnel-client.ts';
import { parseTunnelArgs, TunnelUsageError } from './tunnel-options.ts';

// `npm run tunnel`: the tunnel of a port-forwarding session against the local
// stand-in (dev/tunnel-client.ts). Exit codes: 0 when you stop it (Ctrl-C),
// 1 when it cannot start (bad arguments, token refused, session already
// ended, port in use), 2 when the session ends under it (TerminateSession:
// Latchkey revoked the grant or its window ended), 3 when the stand-in went away.

async function main(): Promise<number> {
  const options = parseTunnelArgs(process.argv.slice(2), process.env);
  const sessionId = options.sessionId ?? decodeURIComponent(new URL(options.streamUrl).pathname.split('/').at(-1) ?? '');
  process.stdout.write(`Starting session with SessionId: ${sessionId}\n`);
  const tunnel = await startTunnel(options);
  process.stdout.write(`Port ${tunnel.port} opened for sessionId ${sessionId}.\nWaiting for connections...\n`);
  const stopOnSignal = () => tunnel.close();
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const end = await tunnel.ended;
  if (end.reason === 'closed') return 0;
  process.stderr.write(`tunnel: ${end.message} Every connection through it was closed.\n`);
  return end.reason === 'terminated' ? 2 : 3;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof TunnelUsageError || error instanceof StreamRefusedError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`tunnel: ${message}\n`);
    process.exit(1);
  },
);
