import { vi } from 'vitest';

/**
 * What the process wrote to stdout and stderr while `run` ran: the logger's and EMF's only
 * sinks (Powertools prints errors on stderr). LATCHKEY_SILENT is lifted meanwhile, so the
 * lines are the real logger's, and restored after.
 */
export async function captureOutput(run: () => Promise<unknown>): Promise<{ text: string; lines: Record<string, unknown>[] }> {
  const writes: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  };
  const silent = process.env.LATCHKEY_SILENT;
  delete process.env.LATCHKEY_SILENT;
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
    if (silent === undefined) delete process.env.LATCHKEY_SILENT;
    else process.env.LATCHKEY_SILENT = silent;
  }
  const text = writes.join('');
  const lines = text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { text, lines };
}
