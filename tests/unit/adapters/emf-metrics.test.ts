import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { observeInvocation } from '#shared/adapters/powertools/invocation';
import { EmfMetrics, NAMESPACE } from '#shared/adapters/powertools/metrics';
import { issueCredentials } from '#shared/minting/issue-credentials';
import { captureOutput } from '../../support/captured-output.ts';
import { lambdaContext } from '../http/events.ts';
import { approvedGrant, fakeMintingDeps, requester, secrets, TENANT } from '../../support/minting-world.ts';

// The real EMF adapter and the real per-invocation flush (logMetrics), around the real use
// case on fakes: what CloudWatch would turn into metrics, read back from stdout.
type Emf = { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } } & Record<string, unknown>;
const emfDocuments = (lines: Record<string, unknown>[]) => lines.filter((line): line is Emf => '_aws' in line);

const REQ = 'req_0000000001';

async function invoke(run: (metrics: EmfMetrics) => Promise<unknown>) {
  const metrics = new EmfMetrics();
  const handler = middy().use(observeInvocation()).handler(async () => {
    await run(metrics);
  });
  return captureOutput(() => handler(undefined, lambdaContext));
}

describe('EMF output', () => {
  it('has one CredentialsIssued document per issuance: namespace, dimensions service/engine/tunnel, ids as metadata, no secret', async () => {
    const deps = fakeMintingDeps();
    deps.requests.seed(approvedGrant(60));

    const { lines, text } = await invoke((metrics) => issueCredentials({ ...deps, metrics }, requester, { requestId: REQ, ssm: {} }));

    const docs = emfDocuments(lines);
    expect(docs).toHaveLength(1);
    const [doc] = docs as [Emf];
    expect(doc._aws.CloudWatchMetrics).toEqual([{ Namespace: NAMESPACE, Dimensions: [['service', 'engine', 'tunnel']], Metrics: [{ Name: 'CredentialsIssued', Unit: 'Count' }] }]);
    expect(doc).toMatchObject({ CredentialsIssued: 1, service: 'latchkey', engine: 'postgres', tunnel: 'ssm', tenantId: TENANT, requestId: REQ });
    // Cardinality: the ids are in the line but never a dimension.
    expect(doc._aws.CloudWatchMetrics[0]!.Dimensions.flat()).not.toContain('tenantId');
    expect(doc._aws.CloudWatchMetrics[0]!.Dimensions.flat()).not.toContain('requestId');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('publishes a document per set of dimension values: two AWS codes in one invocation are two documents', async () => {
    const ids = { tenantId: TENANT, requestId: REQ };

    const { lines } = await invoke(async (metrics) => {
      metrics.awsCallFailed({ service: 'sts', operation: 'AssumeRole', errorCode: 'AccessDenied' }, ids);
      metrics.awsCallFailed({ service: 'sts', operation: 'AssumeRole', errorCode: 'AccessDenied' }, ids);
      metrics.awsCallFailed({ service: 'ssm', operation: 'TerminateSession', errorCode: 'ThrottlingException' }, ids);
      metrics.requestDecided({ outcome: 'approved', latencyMs: 1234 }, ids);
    });

    const docs = emfDocuments(lines);
    expect(docs.map((d) => d._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name))).toEqual([['StsFailures'], ['SsmFailures'], ['DecisionLatency']]);
    expect(docs[0]).toMatchObject({ operation: 'AssumeRole', errorCode: 'AccessDenied', StsFailures: [1, 1] });
    expect(docs[1]).toMatchObject({ operation: 'TerminateSession', errorCode: 'ThrottlingException', SsmFailures: 1 });
    expect(docs[2]).toMatchObject({ outcome: 'approved', DecisionLatency: 1234 });
    expect(docs[2]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'DecisionLatency', Unit: 'Milliseconds' }]);
    expect(docs[2]).not.toHaveProperty('errorCode');
  });

  it('prints no document, and no warning line, for an invocation that recorded nothing', async () => {
    const { lines } = await invoke(async () => undefined);

    expect(lines).toEqual([]);
  });
});
