import { Metrics as Emf, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricIds, Metrics } from '../../kernel/ports.ts';
import { logger, serviceName } from './logger.ts';

// Metrics as CloudWatch Embedded Metric Format: JSON lines on stdout that CloudWatch
// Logs turns into metrics, so no PutMetricData call and no IAM permission. logMetrics
// (invocation.ts) flushes once per invocation.
export const NAMESPACE = 'Latchkey';

// Powertools warns on every flush that found nothing to publish, i.e. on every read-only
// call; that is the normal case here, so it goes to debug.
// Powertools passes one message string. Its other warnings (a dimension refused, …) stay warnings.
const emfLogger = {
  debug: (message: unknown) => logger.debug(String(message)),
  info: (message: unknown) => logger.info(String(message)),
  error: (message: unknown) => logger.error(String(message)),
  warn: (message: unknown) => {
    const text = String(message);
    if (text.startsWith('No application metrics to publish')) logger.debug(text);
    else logger.warn(text);
  },
};

export const emf = new Emf({ namespace: NAMESPACE, serviceName, logger: emfLogger });

type Dimensions = Record<string, string>;

/**
 * The Metrics port over one Powertools Metrics instance. An EMF document has one set of
 * dimension values for all its metrics, so when a record needs other values than those
 * already stored in this invocation (two AWS error codes in one sweep), the stored ones
 * are published first. Recording never throws into a use case: credentials already minted
 * and logged must not turn into a 500 because a metric was refused.
 */
export class EmfMetrics implements Metrics {
  #dimensions: string | undefined;

  constructor(private readonly metrics: Emf = emf) {}

  credentialsIssued(issuance: { engine: string; tunnel: boolean }, ids: MetricIds): void {
    this.#record('CredentialsIssued', MetricUnit.Count, 1, { engine: issuance.engine, tunnel: issuance.tunnel ? 'ssm' : 'none' }, ids);
  }

  awsCallFailed(failure: { service: 'sts' | 'ssm'; operation: string; errorCode: string }, ids: MetricIds): void {
    const name = failure.service === 'sts' ? 'StsFailures' : 'SsmFailures';
    this.#record(name, MetricUnit.Count, 1, { operation: failure.operation, errorCode: failure.errorCode }, ids);
  }

  requestDecided(decision: { outcome: 'approved' | 'denied'; latencyMs: number }, ids: MetricIds): void {
    this.#record('DecisionLatency', MetricUnit.Milliseconds, Math.max(0, decision.latencyMs), { outcome: decision.outcome }, ids);
  }

  #record(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number, dimensions: Dimensions, ids: MetricIds): void {
    try {
      const key = JSON.stringify(dimensions);
      // publishStoredMetrics (logMetrics, or ours below) clears metrics and dimensions together.
      if (!this.metrics.hasStoredMetrics()) this.#dimensions = undefined;
      if (this.#dimensions !== undefined && this.#dimensions !== key) this.metrics.publishStoredMetrics();
      if (this.#dimensions !== key) this.metrics.addDimensions(dimensions);
      this.#dimensions = key;
      // High-cardinality ids as metadata: in the EMF line, not a dimension.
      this.metrics.addMetadata('tenantId', ids.tenantId);
      this.metrics.addMetadata('requestId', ids.requestId);
      this.metrics.addMetric(name, unit, value);
    } catch (error) {
      logger.warn('metric not recorded', { metric: name, error: error instanceof Error ? error.name : typeof error });
    }
  }
}

export const metrics: Metrics = new EmfMetrics();
