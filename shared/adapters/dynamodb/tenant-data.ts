import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LazySts } from '../aws/sts-role-assumer.ts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TenantScope } from '../../kernel/ports.ts';

// Tenant isolation by IAM (the SaaS "token vending" pattern, docs/tenant-isolation.md):
// inside `run(tenantId, …)` every DynamoDB call is signed with a session of the
// tenant-data role tagged `tenant=<tenantId>`, whose policy allows only partition
// keys of that tenant (infra/iam.yml, TenantDataRole). A bug that builds another
// tenant's key is then refused by DynamoDB, not by our code. Outside `run` calls
// sign as the function's own role, which reaches only the cross-tenant items
// (the SigV4 identity lookup, the sweeper's index of deadlines).

export interface TenantDataOptions {
  roleArn: string;
  /** Signs AssumeRole as the function's own role. */
  sts: LazySts;
  region: string;
  /** Local stack only: the DynamoDB front (dev/aws-standin/dynamodb-front.ts). */
  endpoint?: string;
  maxSockets?: number;
  /** Tenants whose client a container keeps; the least recently used is dropped first. */
  maxTenants?: number;
}

/** Role chaining from Lambda caps a session at one hour; the SDK refreshes it five minutes before it ends. */
const SESSION_SECONDS = 3600;

export class TenantData {
  private readonly scope = new AsyncLocalStorage<string>();
  private readonly clients = new Map<string, DynamoDBDocumentClient>();
  // One pool of sockets for every tenant's client: a new tenant costs an AssumeRole, not a new TLS connection.
  private readonly agents: { httpAgent: HttpAgent; httpsAgent: HttpsAgent };
  /** The client the stores are given: each call goes to the current tenant's client, or to the function's own. */
  readonly client: DynamoDBDocumentClient;

  constructor(
    private readonly own: DynamoDBDocumentClient,
    private readonly options: TenantDataOptions,
  ) {
    const sockets = { keepAlive: true, maxSockets: options.maxSockets ?? 50 };
    this.agents = { httpAgent: new HttpAgent(sockets), httpsAgent: new HttpsAgent(sockets) };
    // A Proxy rather than a subclass: only `send` changes, and the document client's overloads stay as they are.
    this.client = new Proxy(own, {
      get: (target, property, receiver) =>
        property === 'send'
          ? (...args: Parameters<DynamoDBDocumentClient['send']>) => (this.current() as { send: (...a: typeof args) => unknown }).send(...args)
          : Reflect.get(target, property, receiver),
    });
  }

  /** Runs `work` with the tenant's credentials on every DynamoDB call it makes, however deep. */
  readonly run: TenantScope = (tenantId, work) => this.scope.run(tenantId, work);

  /** The tenant's own client (credentials cached per tenant per container, renewed before they expire). */
  forTenant(tenantId: string): DynamoDBDocumentClient {
    const cached = this.clients.get(tenantId);
    if (cached) {
      // Most recently used last, so the first key is the one to drop.
      this.clients.delete(tenantId);
      this.clients.set(tenantId, cached);
      return cached;
    }
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: this.options.region,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        requestHandler: this.agents,
        maxAttempts: 3,
        credentials: () => this.assume(tenantId),
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    this.clients.set(tenantId, client);
    const oldest = this.clients.keys().next().value;
    // Dropped, not destroyed: destroying it would close the shared sockets.
    if (this.clients.size > (this.options.maxTenants ?? 100) && oldest !== undefined) this.clients.delete(oldest);
    return client;
  }

  private current(): DynamoDBDocumentClient {
    const tenantId = this.scope.getStore();
    return tenantId === undefined ? this.own : this.forTenant(tenantId);
  }

  private async assume(tenantId: string) {
    const { client, sts } = await this.options.sts();
    const out = await client.send(
      new sts.AssumeRoleCommand({
        RoleArn: this.options.roleArn,
        // Tenant ids are 2–63 of [a-z0-9-]: a valid session name as they are, and CloudTrail shows whose session it is.
        RoleSessionName: tenantId,
        Tags: [{ Key: 'tenant', Value: tenantId }],
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('AssumeRole of the tenant-data role returned no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }
}
