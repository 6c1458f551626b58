// The one place that builds DynamoDB keys. Every partition key starts with the
// tenant (`T#…`) except the two identity lookups and the sweeper's index, which
// exist to find the tenant or to span tenants on purpose.
//
// Main table access patterns:
// | pattern                                  | key                                               |
// | target by id / targets of a tenant       | PK T#tenant, SK TARGET#id (begins_with TARGET#)   |
// | service by tenant                        | PK T#tenant, SK SERVICE#roleArn                    |
// | service by IAM role (identity)           | PK SVCROLE#account#roleName, SK SVCROLE            |
// | request by id                            | PK T#tenant, SK REQ#id                             |
// | requests of a requester, newest first    | GSI1 T#tenant#REQUESTER#id / createdAt#id          |
// | requests of a tenant by status           | GSI2 T#tenant#STATUS#status / createdAt#id         |
// | requests due (sweeper), by day           | GSI3 DUE#yyyy-mm-dd / deadline#tenant#id           |
//
// Log table: PK T#tenant, SK EV#seq (12 digits) — the chain head is SK HEAD;
// GSI1 T#tenant#REQ#id / EV#seq is the timeline of one request.

export const mainKeys = {
  tenant: (tenantId: string) => `T#${tenantId}`,
  target: (tenantId: string, targetId: string) => ({ PK: `T#${tenantId}`, SK: `TARGET#${targetId}` }),
  targetPrefix: 'TARGET#',
  service: (tenantId: string, roleArn: string) => ({ PK: `T#${tenantId}`, SK: `SERVICE#${roleArn}` }),
  servicePrefix: 'SERVICE#',
  serviceRole: (accountId: string, roleName: string) => ({ PK: `SVCROLE#${accountId}#${roleName}`, SK: 'SVCROLE' }),
  request: (tenantId: string, requestId: string) => ({ PK: `T#${tenantId}`, SK: `REQ#${requestId}` }),
  byRequester: (tenantId: string, requesterId: string) => `T#${tenantId}#REQUESTER#${requesterId}`,
  byStatus: (tenantId: string, status: string) => `T#${tenantId}#STATUS#${status}`,
  createdSort: (createdAt: string, id: string) => `${createdAt}#${id}`,
  dueBucket: (deadline: string) => `DUE#${deadline.slice(0, 10)}`,
  dueSort: (deadline: string, tenantId: string, requestId: string) => `${deadline}#${tenantId}#${requestId}`,
} as const;

export const logKeys = {
  tenant: (tenantId: string) => `T#${tenantId}`,
  head: (tenantId: string) => ({ PK: `T#${tenantId}`, SK: 'HEAD' }),
  event: (tenantId: string, seq: number) => ({ PK: `T#${tenantId}`, SK: `EV#${String(seq).padStart(12, '0')}` }),
  eventPrefix: 'EV#',
  requestTimeline: (tenantId: string, requestId: string) => `T#${tenantId}#REQ#${requestId}`,
} as const;
