// Structured JSON logs to stdout (CloudWatch). Callers pass fields explicitly;
// nothing here serialises whole events, bodies or credentials.
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[(process.env.LOG_LEVEL as Level | undefined) ?? 'info'] ?? order.info;

let context: Record<string, string | undefined> = {};

export const logger = {
  setContext(fields: Record<string, string | undefined>): void {
    context = fields;
  },
  log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
    if (order[level] < threshold || process.env.LATCHKEY_SILENT === '1') return;
    process.stdout.write(`${JSON.stringify({ level, message, time: new Date().toISOString(), ...context, ...fields })}\n`);
  },
  info: (message: string, fields?: Record<string, unknown>) => logger.log('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => logger.log('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => logger.log('error', message, fields),
};
