import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.ts';
import { buildProgram, type Invocation } from '../../../cli/program.ts';
import type { GlobalOptions } from '../../../cli/context.ts';
import { ExitCode } from '../../../cli/errors.ts';

/** Parses argv as `latchkey` would, without running anything. */
async function parse(...argv: string[]): Promise<{ invocation: Invocation; global: GlobalOptions }> {
  let seen: { invocation: Invocation; global: GlobalOptions } | undefined;
  const program = buildProgram(
    async (invocation, global) => {
      seen = { invocation, global };
    },
    { writeErr: () => undefined, writeOut: () => undefined },
  );
  await program.parseAsync(argv, { from: 'user' });
  if (!seen) throw new Error('nothing ran');
  return seen;
}

async function refused(...argv: string[]): Promise<string> {
  let stderr = '';
  const program = buildProgram(
    async () => {
      throw new Error('must not run');
    },
    { writeErr: (s) => (stderr += s), writeOut: () => undefined },
  );
  await expect(program.parseAsync(argv, { from: 'user' })).rejects.toMatchObject({ exitCode: 1 });
  return stderr;
}

describe('latchkey argv', () => {
  it('request: target, user, duration in minutes, reason, waiting by default', async () => {
    expect((await parse('request', 'orders-prod', '--user', 'app_ro', '--for', '1h30m', '--reason', 'INC-4711')).invocation).toEqual({
      command: 'request', target: 'orders-prod', user: 'app_ro', minutes: 90, reason: 'INC-4711', wait: true,
    });
    expect((await parse('request', 'orders-prod', '-u', 'app_ro', '--for', '30m', '--no-wait', '--timeout', '2m')).invocation).toMatchObject({ wait: false, timeoutMs: 120_000 });
  });

  it('request refuses a missing user or duration, and a duration it cannot read', async () => {
    expect(await refused('request', 'orders-prod', '--for', '1h')).toMatch(/required option '-u, --user <name>' not specified/);
    expect(await refused('request', 'orders-prod', '--user', 'app_ro')).toMatch(/--for <duration>/);
    expect(await refused('request', 'orders-prod', '--user', 'app_ro', '--for', '60')).toMatch(/"60" is not a duration/);
  });

  it('requests: --mine by default, --approvable, --tenant, never two at once', async () => {
    expect((await parse('requests')).invocation).toEqual({ command: 'requests', view: 'mine', limit: 25 });
    expect((await parse('requests', '--approvable', '--status', 'pending', '--limit', '5')).invocation).toEqual({ command: 'requests', view: 'approvable', status: 'pending', limit: 5 });
    expect((await parse('requests', '--tenant')).invocation).toMatchObject({ view: 'tenant' });
    expect(await refused('requests', '--mine', '--approvable')).toMatch(/cannot be used with/);
    expect(await refused('requests', '--status', 'open')).toMatch(/Allowed choices are pending, approved/);
  });

  it('break-glass: request --break-glass, requests --unreviewed, review --ack|--escalate with a note', async () => {
    expect((await parse('request', 'orders-prod', '-u', 'app_ro', '--for', '30m', '-r', 'INC-9 down', '--break-glass')).invocation).toMatchObject({ command: 'request', breakGlass: true });
    expect((await parse('request', 'orders-prod', '-u', 'app_ro', '--for', '30m')).invocation).not.toHaveProperty('breakGlass');
    expect((await parse('requests', '--unreviewed')).invocation).toEqual({ command: 'requests', view: 'unreviewed', limit: 25 });
    expect(await refused('requests', '--unreviewed', '--tenant')).toMatch(/cannot be used with/);
    expect((await parse('review', 'req_1', '--ack', '-n', 'checked')).invocation).toEqual({ command: 'review', requestId: 'req_1', outcome: 'acknowledged', note: 'checked' });
    expect((await parse('review', 'req_1', '--escalate', '--note', 'no ticket')).invocation).toEqual({ command: 'review', requestId: 'req_1', outcome: 'escalated', note: 'no ticket' });
    expect(await refused('review', 'req_1', '--ack', '--escalate', '-n', 'x')).toMatch(/cannot be used with/);
    expect(await refused('review', 'req_1', '--ack')).toMatch(/--note <text>/);
    await expect(parse('review', 'req_1', '-n', 'x')).rejects.toThrow(/--ack or --escalate/);
  });

  it('decisions carry an optional note; extend a duration', async () => {
    expect((await parse('approve', 'req_01ABCDEFGHIJ', '--note', 'ok')).invocation).toEqual({ command: 'approve', requestId: 'req_01ABCDEFGHIJ', note: 'ok' });
    expect((await parse('deny', 'req_01ABCDEFGHIJ')).invocation).toEqual({ command: 'deny', requestId: 'req_01ABCDEFGHIJ' });
    expect((await parse('revoke', 'req_1', '-n', 'done')).invocation).toEqual({ command: 'revoke', requestId: 'req_1', note: 'done' });
    expect((await parse('cancel', 'req_1')).invocation).toEqual({ command: 'cancel', requestId: 'req_1' });
    expect((await parse('extend', 'req_1', '--for', '30m', '-r', 'more')).invocation).toEqual({ command: 'extend', requestId: 'req_1', minutes: 30, reason: 'more' });
  });

  it('connect: everything after -- goes to the client untouched', async () => {
    expect((await parse('connect', 'orders-prod', '--user', 'app_ro', '--tunnel', '--', '-c', 'select 1', '--csv')).invocation).toEqual({
      command: 'connect', target: 'orders-prod', user: 'app_ro', tunnel: true, clientArgs: ['-c', 'select 1', '--csv'],
    });
    expect((await parse('connect', 'orders-prod', '-u', 'app_ro', '--for', '2h', '-d', 'orders')).invocation).toEqual({
      command: 'connect', target: 'orders-prod', user: 'app_ro', tunnel: false, clientArgs: [], minutes: 120, database: 'orders',
    });
  });

  it('audit: filters with times as ISO or "ago", export format and file', async () => {
    const { invocation } = await parse('audit', 'events', '--requester', 'alice', '--action', 'request.approved', '--from', '2026-12-01T00:00:00Z', '--order', 'oldest');
    expect(invocation).toEqual({ command: 'audit events', limit: 50, filters: { requester: 'alice', action: 'request.approved', from: '2026-12-01T00:00:00.000Z', order: 'oldest' } });
    expect((await parse('audit', 'export', '--format', 'ndjson', '-o', 'log.jsonl')).invocation).toEqual({ command: 'audit export', format: 'ndjson', out: 'log.jsonl', pageSize: 1000, filters: {} });
    expect((await parse('audit', 'verify', '--from-seq', '10')).invocation).toEqual({ command: 'audit verify', fromSeq: 10 });
    expect(await refused('audit', 'export', '--format', 'xml', '-o', 'x')).toMatch(/Allowed choices are csv, ndjson/);
    expect(await refused('audit', 'events', '--from', 'yesterday')).toMatch(/is not a time/);
  });

  it('global options reach every command', async () => {
    const { global } = await parse('--api-url', 'https://api.example.com', '--json', '--no-color', 'whoami');
    expect(global).toMatchObject({ apiUrl: 'https://api.example.com', json: true, color: false });
  });

  it('exits 2 on a usage error and 0 for --help, running nothing', async () => {
    const write = process.stderr.write;
    const out = process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await main(['request', 'x'])).toBe(ExitCode.usage);
      expect(await main(['frobnicate'])).toBe(ExitCode.usage);
      expect(await main(['--help'])).toBe(ExitCode.ok);
    } finally {
      process.stderr.write = write;
      process.stdout.write = out;
    }
  });
});
