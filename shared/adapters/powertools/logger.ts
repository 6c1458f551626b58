import { Logger, type LogItem } from '@aws-lambda-powertools/logger';
import { loadObservabilityConfig } from '../../config.ts';

// The one Logger of the container: JSON lines to stdout (errors to stderr), the Lambda
// context (function_request_id, cold_start, …) added per invocation by injectLambdaContext
// and the keys a route appends reset after it (shared/adapters/powertools/invocation.ts).
// Callers pass fields explicitly; nothing here serialises whole events, bodies or credentials.
const config = loadObservabilityConfig();

class LatchkeyLogger extends Logger {
  // LATCHKEY_SILENT=1 mutes every line. Tests set it, and flip it after this module loaded
  // (one module graph for all unit test files), so it is read per line, not at construction.
  protected override printLog(logLevel: number, log: LogItem): void {
    if (process.env.LATCHKEY_SILENT === '1') return;
    super.printLog(logLevel, log);
  }
}

export const logger: Logger = new LatchkeyLogger({ serviceName: config.POWERTOOLS_SERVICE_NAME, logLevel: config.POWERTOOLS_LOG_LEVEL });
export const serviceName = config.POWERTOOLS_SERVICE_NAME;
