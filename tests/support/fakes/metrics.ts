import type { MetricIds, Metrics } from '#shared/kernel/ports';

/** Every metric a use case recorded, in order: the fact, its dimensions-to-be and the ids. */
export type RecordedMetric =
  | { metric: 'credentialsIssued'; value: Parameters<Metrics['credentialsIssued']>[0]; ids: MetricIds }
  | { metric: 'awsCallFailed'; value: Parameters<Metrics['awsCallFailed']>[0]; ids: MetricIds }
  | { metric: 'requestDecided'; value: Parameters<Metrics['requestDecided']>[0]; ids: MetricIds };

export class FakeMetrics implements Metrics {
  readonly recorded: RecordedMetric[] = [];
  credentialsIssued(value: Parameters<Metrics['credentialsIssued']>[0], ids: MetricIds): void {
    this.recorded.push({ metric: 'credentialsIssued', value, ids });
  }
  awsCallFailed(value: Parameters<Metrics['awsCallFailed']>[0], ids: MetricIds): void {
    this.recorded.push({ metric: 'awsCallFailed', value, ids });
  }
  requestDecided(value: Parameters<Metrics['requestDecided']>[0], ids: MetricIds): void {
    this.recorded.push({ metric: 'requestDecided', value, ids });
  }
}
