// Generated from docs/openapi.json by openapi-typescript: do not edit; run `npm run openapi`.

export interface paths {
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller as Latchkey resolved it
         * @description **Who:** anyone (people and services). People: from the JWT's `sub`, `tenant`, `roles` and `groups` claims. Services: the registered IAM role (any other role is refused with 403).
         *
         *     Also served on the services API (SigV4).
         */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description Public: the OpenAPI 3.1 description of this API, generated from the zod schemas the handlers validate with and from the route table in serverless.yml.
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List targets
         * @description **Who:** any role.
         */
        get: operations["listTargets"];
        put?: never;
        /**
         * Register a database
         * @description **Who:** admin. Engine, endpoint, port, region, account, RDS resource id, database users, optional SSM bastion, the linked integration, and the access policy.
         */
        post: operations["createTarget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/targets/{targetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a target
         * @description **Who:** any role.
         */
        get: operations["getTarget"];
        /**
         * Change a target's integration, endpoint, port, database users or bastion
         * @description **Who:** admin. `PUT /targets/{targetId}` (admin) changes the parts of a target that can move
         *     without it becoming another database. Every field but `version` is optional: an
         *     absent one stays as it is.
         *
         *     ```json
         *     {
         *       "version": 3,
         *       "integrationId": "int_…",
         *       "endpoint": "orders-2.abcdefghijkl.eu-central-1.rds.amazonaws.com",
         *       "port": 5432,
         *       "databaseUsers": ["app_ro", "etl"],
         *       "bastionInstanceId": "i-0123456789abcdef0",
         *       "force": false
         *     }
         *     ```
         *
         *     | field | meaning |
         *     | --- | --- |
         *     | `version` | required: the target's `version` as the admin last read it. Another change since (a target or policy change) makes it stale: `409 conflict` with `details.currentVersion`, nothing written — reload and decide again. |
         *     | `integrationId` | move the target to another integration of the tenant, in the target's account (else `400`); `null` unlinks it |
         *     | `endpoint`, `port` | as in `POST /targets` |
         *     | `databaseUsers` | the whole new list (at least one, no repeats). A user an `autoApprove` rule of the policy names cannot be dropped (`400`): change the policy first. |
         *     | `bastionInstanceId` | a new bastion; `null` removes it |
         *     | `force` | `true` makes a change that breaks open grants go through (below) |
         *
         *     `name`, `engine`, `aurora`, `region`, `accountId` and `resourceId` cannot change:
         *     they say which database the target is, and what every issued `dbuser` ARN names;
         *     register a new target instead. `policy` changes through `PUT /targets/{targetId}/policy`.
         *     Sending any of them is a `400` whose `details` name the field (`cannot change: …`);
         *     so is any other field.
         *
         *     **Open grants.** A change is refused with `409 target_change_breaks_open_grants`
         *     while an open grant (approved, window not ended) relies on what it changes: its
         *     database user is dropped, or the endpoint, port, integration or an existing bastion
         *     changes (what its token is signed for, its role, its tunnel). Adding a database user
         *     or a bastion where there was none breaks nothing. The body names every affected
         *     grant: `details: { requestIds: [...], affected: [{ requestId, databaseUser, windowEnd, fields: ["endpoint"] }] }`.
         *     Revoke them, wait for their windows to end, or send `"force": true`; a forced change
         *     is logged with `forced: true` and the grants it broke (`affectedGrants`), which are
         *     not revoked by it — credentials already issued keep naming the old target until
         *     they expire (at most 15 minutes for a token, the window's end for the session), and
         *     issuance re-checks the target, so a dropped database user gets no new credentials.
         *
         *     **Answers.** `200` with the target as stored. A change that changes nothing (the
         *     same values, the same users in another order) answers `200` with the target as it
         *     was, the same `version`, and writes nothing. Otherwise the version goes up by one and
         *     one `target.updated` event is written in the same transaction: `details.changes`
         *     has each changed field's `before` and `after` (`null` for none; for `databaseUsers`
         *     also `added` and `removed`), `details.version` the old and new version. Like a policy
         *     change, a target change restarts the quorum of pending requests (approvals count
         *     only under the target's current version). The setup of each integration follows:
         *     `GET /integrations/{integrationId}/setup` lists an added user as `changes.added`,
         *     and after a move the old integration's setup lists the target's users as
         *     `changes.removed`, the new one's as `changes.added`.
         *
         *     Known gap: the open grants are read just before the conditional write, not inside it,
         *     so a request approved between them is not seen (the open grants are read from an
         *     index, which lags the table, usually by well under a second but without a bound); issuance reads
         *     the changed target, so such a grant mints for the target as changed.
         */
        put: operations["changeTarget"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/targets/{targetId}/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace a target's policy
         * @description **Who:** admin. Approvals recorded under the old policy stop counting: only approvals under the target's current version count toward the quorum.
         */
        put: operations["putPolicy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List services
         * @description **Who:** admin.
         */
        get: operations["listServices"];
        put?: never;
        /**
         * Register a third-party service
         * @description **Who:** admin. By IAM role ARN, with the targets and database users it may request and whether its requests are auto-approved. Calls signed (SigV4) by a session of that role then resolve to this service.
         */
        post: operations["registerService"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List requests
         * @description **Who:** requester (`mine`), approver (`approvable`), admin or auditor (`tenant`); `unreviewed` (break-glass grants awaiting review): admins and auditors all, approvers those they can review. Newest first, paged with an opaque cursor.
         *
         *     Also served on the services API (SigV4).
         */
        get: operations["listRequests"];
        put?: never;
        /**
         * Request access to a database user
         * @description **Who:** requester (people and services). Auto-approved when the target's policy (or a service's registration) says so; otherwise pending until the approvers decide or it expires. With `breakGlass: true`, a person the policy's break-glass rule names gets an approved grant at once (its shorter maximum, a reason always required, a daily cap per person: `break_glass_limit`), logged as `request.break_glass_opened` and listed as unreviewed until an approver reviews it. A policy's `ticketPattern` refuses a reason without a matching ticket reference (`policy_violation`) and keeps the match as `ticket`.
         *
         *     Also served on the services API (SigV4).
         */
        post: operations["createRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a request
         * @description **Who:** the requester, approvers of the target, admins, auditors. Anything of another tenant answers 404, as does a request the caller may not see.
         *
         *     Also served on the services API (SigV4).
         */
        get: operations["getRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a request (or its pending extension)
         * @description **Who:** a named approver, never the requester. Each approver counts once toward the quorum, and only approvals under the target's current policy count (a policy change restarts it).
         */
        post: operations["approveRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Review a break-glass grant afterwards
         * @description **Who:** a named approver of the target, never the person who opened the grant. Once per grant, in any status after it opened: `acknowledged` or `escalated`, with a note; logged as `request.break_glass_reviewed`, and the grant leaves the `unreviewed` list.
         */
        post: operations["reviewRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deny a request (or its pending extension)
         * @description **Who:** a named approver, never the requester.
         */
        post: operations["denyRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a pending request
         * @description **Who:** the requester.
         *
         *     Also served on the services API (SigV4).
         */
        post: operations["cancelRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End an approved grant now
         * @description **Who:** a named approver or an admin. Also terminates the grant's SSM sessions through the customer's role (logged as `ssm.sessions_terminated`) and, when the target's policy has `sessions`, its live database sessions (`db.sessions_terminated`, or `db.sessions_termination_failed` and retried by the sweeper; docs/database-sessions.md).
         */
        post: operations["revokeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}/extend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask the approvers for more time
         * @description **Who:** the requester. A new decision, not an edit: the extension waits as `pendingExtension` until approved or denied.
         *
         *     Also served on the services API (SigV4).
         */
        post: operations["extendRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/requests/{requestId}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint credentials for an open grant
         * @description **Who:** the requester of an open grant (people and services) — nobody else.
         *
         *     Issuance re-checks that the requester may still ask for that database user. One `AssumeRole` into the customer's role with the integration's external ID, `SourceIdentity` the requester, session tags, and a session policy allowing only `rds-db:connect` on the one database user (plus, with `ssm`, the port-forwarding session through the bastion), all ending with the window. The session policy must be a subset of the permission policy last handed to the customer (else 409 `grant_outside_setup`).
         *
         *     The answer holds the 15-minute RDS IAM auth token, host, port, user, `sslmode=verify-full`, the RDS CA bundle URL and a client command that reads the token from `$LATCHKEY_DB_TOKEN` (never from argv); with `ssm`, the session and the `session-manager-plugin` invocation. Exactly one `credentials.issued` event is written per issuance; if it cannot be written, nothing is handed out (503, retrying is safe).
         *
         *     Also served on the services API (SigV4).
         */
        post: operations["issueCredentials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List integrations
         * @description **Who:** admin.
         */
        get: operations["listIntegrations"];
        put?: never;
        /**
         * Link a customer AWS account
         * @description **Who:** admin. Latchkey generates the external ID; a body that supplies one is refused.
         */
        post: operations["createIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/{integrationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an integration
         * @description **Who:** admin.
         */
        get: operations["getIntegration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/{integrationId}/setup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What the customer installs
         * @description **Who:** admin. Trust and permission policies, SQL, CloudFormation with a quick-create link, Terraform, and what changed since the last setup. `format=json` answers all of it; `cloudformation` the template, `terraform` and `sql` the one file to save. Fetching a changed setup makes it the new baseline.
         */
        get: operations["getIntegrationSetup"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/{integrationId}/role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Register the role the customer created
         * @description **Who:** admin. The role ARN must be in the integration's account. The integration is `pending` again until verified.
         */
        put: operations["registerIntegrationRole"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/{integrationId}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify the customer's role
         * @description **Who:** admin. Assumes the role with the external ID (must succeed) and without / with a wrong one (must fail). 200 either way: `verified`, or `failed` with the reason and how to fix it.
         */
        post: operations["verifyIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/slack/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Slack's interactivity request URL (Approve, Deny, Confirm buttons)
         * @description Public, called by Slack: the body is `application/x-www-form-urlencoded` with a `payload` field (Slack's `block_actions`), and `X-Slack-Signature` / `X-Slack-Request-Timestamp` must carry Slack's v0 signature from the last five minutes, used once. Anything else answers 401 before the body is read.
         */
        post: operations["slackInteraction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's Slack workspace and webhooks
         * @description **Who:** admin. Each webhook with its signing secret (docs/notifications.md).
         */
        get: operations["getNotificationSettings"];
        /**
         * Set the tenant's Slack workspace and webhooks
         * @description **Who:** admin. Written whole. A webhook listed with its `webhookId` keeps it (and its secret); one without gets a new id. Webhooks must be HTTPS. A Slack workspace serves one tenant: another tenant's answers 409.
         */
        put: operations["putNotificationSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/failures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deliveries that failed every attempt
         * @description **Who:** admin. Newest first. A parked delivery is not tried again; decisions never depended on it.
         */
        get: operations["listNotificationFailures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/contact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where Latchkey reaches the caller, and their Slack link */
        get: operations["getContact"];
        /**
         * Set the email and Slack member id Latchkey reaches the caller at
         * @description **Who:** people. A Slack member id not yet confirmed gets a DM with a Confirm button; only after that click do the member's Slack clicks act as the caller, with the roles and groups of the token that made this call, for 30 days.
         */
        put: operations["putContact"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The grant log, filtered and paged
         * @description **Who:** auditor, admin. Every filter is a DynamoDB Query on an index built for it.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One page of the grant log as CSV or JSON Lines
         * @description **Who:** auditor, admin. Up to 1,000 lines per page; the next page's cursor is in `x-next-cursor`. JSON Lines of the whole log (no filter but time) is verifiable offline: after the events come the `log.checkpoint` events, then the signed digests of the range (`latchkey audit verify --file`).
         */
        get: operations["exportEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/requests/{requestId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The timeline of one request
         * @description **Who:** auditor, admin. In seq order.
         */
        get: operations["requestTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Walk the tenant's hash chains
         * @description **Who:** auditor, admin. Names the first broken link (modified, deleted, inserted). A broken chain is a finding: 200 with `ok: false`.
         */
        get: operations["verifyLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/digests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign the tenant's chain heads now
         * @description **Who:** auditor, admin. Signs every chain head of the caller's tenant with the KMS digest key, linked to the previous digest (also done every 15 minutes for every tenant whose log moved). Nothing new since the newest digest: that one is returned, `signed: false`.
         */
        post: operations["signDigest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public key that verifies signed digests
         * @description **Who:** auditor, admin. PEM (SubjectPublicKeyInfo) and key id of the KMS digest key, for `latchkey audit verify --file export.ndjson --public-key key.pem`, which needs nothing else.
         */
        get: operations["digestPublicKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/access-summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who has or had access to what
         * @description **Who:** auditor, admin. Grants open now, and over [from, to) who was granted or issued access to which database user.
         */
        get: operations["accessSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The caller as Latchkey resolved it. */
        Principal: {
            /** @description The JWT `sub` for people; the registered IAM role ARN for services. */
            id: string;
            /** @enum {string} */
            kind: "user" | "service";
            tenantId: string;
            roles: ("admin" | "requester" | "approver" | "auditor")[];
            groups: string[];
        };
        /** @description API Gateway's own refusal, before any function runs. */
        GatewayMessage: {
            message: string;
        };
        Target: {
            name: string;
            /** @enum {string} */
            engine: "postgres" | "mysql" | "mariadb";
            /** @default false */
            aurora: boolean;
            endpoint: string;
            port: number;
            region: string;
            accountId: string;
            resourceId: string;
            databaseUsers: string[];
            bastionInstanceId?: string;
            integrationId?: string;
            policy: {
                /**
                 * @default {
                 *       "groups": [],
                 *       "principals": []
                 *     }
                 */
                requesters: {
                    /** @default [] */
                    groups: string[];
                    /** @default [] */
                    principals: string[];
                };
                approvers: {
                    /** @default [] */
                    groups: string[];
                    /** @default [] */
                    principals: string[];
                };
                /** @default 1 */
                approvalsRequired: number;
                maxDurationMinutes: number;
                /** @default true */
                reasonRequired: boolean;
                /** @default 1440 */
                pendingTimeoutMinutes: number;
                /** @default [] */
                autoApprove: {
                    databaseUser: string;
                    /** @default [] */
                    groups: string[];
                    /** @default [] */
                    principals: string[];
                }[];
                sessions?: {
                    /**
                     * @default tagged
                     * @enum {string}
                     */
                    attribution: "tagged";
                    /**
                     * @default direct
                     * @enum {string}
                     */
                    terminateVia: "direct";
                };
                /**
                 * @default {
                 *       "slackChannels": [],
                 *       "dmApprovers": false,
                 *       "email": false,
                 *       "emailTo": []
                 *     }
                 */
                notify: {
                    /** @default [] */
                    slackChannels: string[];
                    /** @default false */
                    dmApprovers: boolean;
                    /** @default false */
                    email: boolean;
                    /** @default [] */
                    emailTo: string[];
                };
                /** @description RE2 syntax (no backreferences or lookaround); must not match the empty string. */
                ticketPattern?: string;
                breakGlass?: {
                    /** @default [] */
                    groups: string[];
                    /** @default [] */
                    principals: string[];
                    /** @default 60 */
                    maxDurationMinutes: number;
                    /** @default 3 */
                    maxPerPersonPerDay: number;
                };
                stepUp?: {
                    approve?: {
                        maxAgeMinutes?: number;
                        /** @default false */
                        mfa: boolean;
                    };
                    issue?: {
                        maxAgeMinutes?: number;
                        /** @default false */
                        mfa: boolean;
                    };
                };
            };
            targetId: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            createdBy: string;
            /** @description Bumped by every change (a policy change restarts approvals). */
            version: number;
        };
        TargetPage: {
            items: components["schemas"]["Target"][];
            /** @description Pass as `cursor` for the next page; absent on the last page. */
            nextCursor?: string;
        };
        /** @description A third-party service: an IAM role of another account, and what it may request. */
        Service: {
            roleArn: string;
            name: string;
            access: {
                targetId: string;
                databaseUsers: string[];
            }[];
            /** @default false */
            autoApprove: boolean;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            createdBy: string;
        };
        ServicePage: {
            items: components["schemas"]["Service"][];
            /** @description Pass as `cursor` for the next page; absent on the last page. */
            nextCursor?: string;
        };
        /** @description pending → approved → ended; pending → denied | cancelled | expired; approved → revoked. */
        AccessRequest: {
            requestId: string;
            targetId: string;
            databaseUser: string;
            requesterId: string;
            /** @enum {string} */
            requesterKind: "user" | "service";
            reason?: string;
            /** @description The ticket reference the target's ticketPattern found in the reason. */
            ticket?: string;
            breakGlass?: components["schemas"]["BreakGlass"];
            durationMinutes: number;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            /** @description Bumped by every write. */
            version: number;
            /** @constant */
            status: "pending";
            approvals: components["schemas"]["Decision"][];
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            decideBy: string;
        } | {
            requestId: string;
            targetId: string;
            databaseUser: string;
            requesterId: string;
            /** @enum {string} */
            requesterKind: "user" | "service";
            reason?: string;
            /** @description The ticket reference the target's ticketPattern found in the reason. */
            ticket?: string;
            breakGlass?: components["schemas"]["BreakGlass"];
            durationMinutes: number;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            /** @description Bumped by every write. */
            version: number;
            approvals: components["schemas"]["Decision"][];
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            approvedAt: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowStart: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowEnd: string;
            /** @description Extensions granted so far, oldest first. */
            extensions: components["schemas"]["Extension"][];
            /** @constant */
            status: "approved";
            pendingExtension?: components["schemas"]["Extension"];
        } | {
            requestId: string;
            targetId: string;
            databaseUser: string;
            requesterId: string;
            /** @enum {string} */
            requesterKind: "user" | "service";
            reason?: string;
            /** @description The ticket reference the target's ticketPattern found in the reason. */
            ticket?: string;
            breakGlass?: components["schemas"]["BreakGlass"];
            durationMinutes: number;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            /** @description Bumped by every write. */
            version: number;
            /** @constant */
            status: "denied";
            approvals: components["schemas"]["Decision"][];
            deniedBy: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            deniedAt: string;
            note?: string;
        } | {
            requestId: string;
            targetId: string;
            databaseUser: string;
            requesterId: string;
            /** @enum {string} */
            requesterKind: "user" | "service";
            reason?: string;
            /** @description The ticket reference the target's ticketPattern found in the reason. */
            ticket?: string;
            breakGlass?: components["schemas"]["BreakGlass"];
            durationMinutes: number;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            /** @description Bumped by every write. */
            version: number;
            /** @constant */
            status: "cancelled";
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            cancelledAt: string;
        } | {
            requestId: string;
            targetId: string;
            databaseUser: string;
            requesterId: string;
            /** @enum {string} */
            requesterKind: "user" | "service";
            reason?: string;
            /** @description The ticket reference the target's ticketPattern found in the reason. */
            ticket?: string;
            breakGlass?: components["schemas"]["BreakGlass"];
            durationMinutes: number;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            /** @description Bumped by every write. */
            version: number;
            /** @constant */
            status: "expired";
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            expiredAt: string;
            /** @description The approvals recorded before it expired (a quorum not reached). */
            approvals?: components["schemas"]["Decision"][];
        } | {
            requestId: string;
            targetId: string;
            databaseUser: string;
            requesterId: string;
            /** @enum {string} */
            requesterKind: "user" | "service";
            reason?: string;
            /** @description The ticket reference the target's ticketPattern found in the reason. */
            ticket?: string;
            breakGlass?: components["schemas"]["BreakGlass"];
            durationMinutes: number;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            /** @description Bumped by every write. */
            version: number;
            approvals: components["schemas"]["Decision"][];
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            approvedAt: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowStart: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowEnd: string;
            /** @description Extensions granted so far, oldest first. */
            extensions: components["schemas"]["Extension"][];
            /** @constant */
            status: "revoked";
            revokedBy: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            revokedAt: string;
            note?: string;
        } | {
            requestId: string;
            targetId: string;
            databaseUser: string;
            requesterId: string;
            /** @enum {string} */
            requesterKind: "user" | "service";
            reason?: string;
            /** @description The ticket reference the target's ticketPattern found in the reason. */
            ticket?: string;
            breakGlass?: components["schemas"]["BreakGlass"];
            durationMinutes: number;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            /** @description Bumped by every write. */
            version: number;
            approvals: components["schemas"]["Decision"][];
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            approvedAt: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowStart: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowEnd: string;
            /** @description Extensions granted so far, oldest first. */
            extensions: components["schemas"]["Extension"][];
            /** @constant */
            status: "ended";
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            endedAt: string;
        };
        /** @description Present on a grant opened at once under the break-glass rule. */
        BreakGlass: {
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            openedAt: string;
            /** @description Absent until an approver reviews the grant. */
            review?: {
                reviewerId: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                at: string;
                /** @enum {string} */
                outcome: "acknowledged" | "escalated";
                note: string;
            };
        };
        Decision: {
            approverId: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            at: string;
            note?: string;
            /** @description The target's version when the decision was made; only current-version approvals count. */
            policyVersion?: number;
        };
        Extension: {
            minutes: number;
            reason?: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            requestedAt: string;
            approvals: components["schemas"]["Decision"][];
        };
        AccessRequestPage: {
            items: components["schemas"]["AccessRequest"][];
            /** @description Pass as `cursor` for the next page; absent on the last page. */
            nextCursor?: string;
        };
        RevokedGrant: {
            requestId: string;
            targetId: string;
            databaseUser: string;
            requesterId: string;
            /** @enum {string} */
            requesterKind: "user" | "service";
            reason?: string;
            /** @description The ticket reference the target's ticketPattern found in the reason. */
            ticket?: string;
            breakGlass?: components["schemas"]["BreakGlass"];
            durationMinutes: number;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            /** @description Bumped by every write. */
            version: number;
            approvals: components["schemas"]["Decision"][];
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            approvedAt: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowStart: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowEnd: string;
            /** @description Extensions granted so far, oldest first. */
            extensions: components["schemas"]["Extension"][];
            /** @constant */
            status: "revoked";
            revokedBy: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            revokedAt: string;
            note?: string;
            /** @description The SSM sessions ended through the customer role. */
            terminatedSessions: string[];
            failedSessions: {
                sessionId: string;
                /** @description The AWS error code. */
                error: string;
            }[];
        };
        IssuedCredentials: {
            requestId: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            issuedAt: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            windowEnd: string;
            /** @description What the customer's CloudTrail shows for this issuance. */
            audit: {
                assumedRoleId: string;
                sessionName: string;
                sourceIdentity: string;
                ssmSessionId?: string;
            };
            database: {
                /** @enum {string} */
                engine: "postgres" | "mysql" | "mariadb";
                host: string;
                port: number;
                user: string;
                /** @description The RDS IAM auth token: the password for connections opened before `expiresAt`. */
                token: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                expiresAt: string;
                /** @constant */
                sslmode: "verify-full";
                caBundleUrl: string;
                /** @description Reads the token from $LATCHKEY_DB_TOKEN; never contains it. */
                command: string;
                /** @description Set when the target's policy ends the grant's sessions: the tag `command` gives its connections (PostgreSQL application_name; MySQL/MariaDB @latchkey_grant). */
                sessionTag?: string;
                notes: string[];
            };
            /** @description The SSM port-forwarding session, when one was asked for. */
            ssm?: {
                sessionId: string;
                streamUrl: string;
                tokenValue: string;
                localPortNumber: number;
                pluginCommand: string;
                pluginCommandLegacy: string;
                hostsEntry: string;
                command: string;
                notes: string[];
            };
        };
        /** @description A linked customer AWS account. */
        Integration: {
            integrationId: string;
            name: string;
            accountId: string;
            /** @description Generated by Latchkey; a secret of the tenant, shown to its admins to install the customer's role. */
            externalId: string;
            /** @enum {string} */
            status: "pending" | "verified" | "failed";
            roleArn: string | null;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            roleRegisteredAt?: string;
            verification?: components["schemas"]["Verification"];
            /** @description The setup last handed out: the baseline the next setup reports `changes` against. */
            lastSetup: {
                policyHash: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                at: string;
                by: string;
            } | null;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            createdBy: string;
            version: number;
        };
        Verification: {
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            at: string;
            by: string;
            roleArn: string;
            /** @enum {string} */
            outcome: "verified" | "failed";
            /** @enum {string} */
            reason?: "external_id_not_enforced" | "trust_too_broad" | "not_assumable" | "missing_tag_session" | "missing_set_source_identity" | "wrong_account" | "sts_error";
            /** @description How to fix a failed verification. */
            message?: string;
            checks: {
                /** @enum {string} */
                probe: "with-external-id" | "with-external-id-without-tags" | "without-external-id" | "wrong-external-id" | "from-another-principal";
                /** @enum {string} */
                expected: "assumed" | "denied";
                /** @enum {string} */
                observed: "assumed" | "denied" | "error";
                /** @description The action STS named in its refusal, or the AWS error code of a failure. Never a message. */
                detail?: string;
            }[];
        };
        IntegrationPage: {
            items: components["schemas"]["Integration"][];
            /** @description Pass as `cursor` for the next page; absent on the last page. */
            nextCursor?: string;
        };
        /** @description Everything the customer installs for the integration (format=json). */
        IntegrationSetup: {
            integrationId: string;
            accountId: string;
            externalId: string;
            /** @description The principal the trust policy names. */
            brokerRoleArn: string;
            roleName: string;
            /** @description The IAM trust policy of the customer role. */
            trustPolicy: {
                [key: string]: unknown;
            };
            /** @description The IAM permission policy; null while the integration has no targets. */
            permissionPolicy: {
                [key: string]: unknown;
            } | null;
            resources: {
                dbUsers: string[];
                startSession: string[];
                sessions: string[];
            };
            policyHash: string;
            sizes: {
                trustPolicy: {
                    characters: number;
                    limit: number;
                };
                permissionPolicy: {
                    characters: number;
                    limit: number;
                };
            };
            databases: {
                targetId: string;
                name: string;
                /** @enum {string} */
                engine: "postgres" | "mysql" | "mariadb";
                enableIamAuthentication: string;
                statements: string[];
            }[];
            cloudFormation: {
                template: {
                    [key: string]: unknown;
                };
                quickCreate: {
                    url: string;
                    templateUrl: string;
                    stackName: string;
                } | {
                    url: null;
                    reason: string;
                };
            };
            terraform: string;
            sql: string;
            /** @enum {string} */
            status: "pending" | "verified" | "failed";
            roleArn: string | null;
            /** @description What the permission policy gained and lost since the setup last handed out. */
            changes: {
                added: string[];
                removed: string[];
                since: string | null;
                previousPolicyHash: string | null;
            };
        };
        /** @description format=cloudformation: the customer-role template. */
        CloudFormationTemplate: {
            /** @constant */
            AWSTemplateFormatVersion: "2010-09-09";
            Resources: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description The integration after a verification, and that verification (`failed` is a result, not an error). */
        VerifiedIntegration: {
            integrationId: string;
            name: string;
            accountId: string;
            /** @description Generated by Latchkey; a secret of the tenant, shown to its admins to install the customer's role. */
            externalId: string;
            /** @enum {string} */
            status: "pending" | "verified" | "failed";
            roleArn: string | null;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            roleRegisteredAt?: string;
            verification: components["schemas"]["Verification"];
            /** @description The setup last handed out: the baseline the next setup reports `changes` against. */
            lastSetup: {
                policyHash: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                at: string;
                by: string;
            } | null;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            createdAt: string;
            createdBy: string;
            version: number;
        };
        SlackInteractionResult: {
            /** @enum {string} */
            outcome: "refused" | "approved" | "denied" | "linked";
            reason?: string;
            requestId?: string;
            status?: string;
            principalId?: string;
        };
        NotificationSettings: {
            /** @description The Slack workspace whose members act for this tenant (Slack's team id). */
            slackTeamId?: string;
            /** @description The Slack channel every break-glass grant is announced in, at once and without buttons. */
            securityChannel?: string;
            webhooks: {
                webhookId: string;
                url: string;
                /** @description What its `Latchkey-Signature` headers are made with (docs/notifications.md). Admins only. */
                secret: string;
            }[];
            /** @description 0 until the settings are first written. */
            version: number;
        };
        ParkedDeliveries: {
            items: components["schemas"]["ParkedDelivery"][];
        };
        ParkedDelivery: {
            tenantId: string;
            /** @description The grant-log event (its hash) that was to be delivered. */
            eventId: string;
            /** @description `slack:C…`, `update:C…`, `dm:U…`, `email:address` or `webhook:wh_…`. */
            channel: string;
            action: string;
            requestId?: string;
            attempts: number;
            lastError: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            parkedAt: string;
        };
        Contact: {
            principalId: string;
            email?: string;
            slackUserId?: string;
            /** @description True once the Slack user clicked the Confirm button Latchkey sent them; until then their clicks act as nobody. */
            slackConfirmed?: boolean;
            /** @description The roles Slack clicks act with until `expiresAt` (a snapshot of the token that linked). */
            roles: ("admin" | "requester" | "approver" | "auditor")[];
            groups: string[];
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            linkedAt: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            expiresAt: string;
        };
        LogEventPage: {
            items: components["schemas"]["LogEvent"][];
            /** @description Pass as `cursor` for the next page; absent on the last page. */
            nextCursor?: string;
        };
        LogEvent: {
            tenantId: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            at: string;
            /** @enum {string} */
            action: "request.created" | "request.approval_recorded" | "request.approved" | "request.denied" | "request.cancelled" | "request.revoked" | "request.break_glass_opened" | "request.break_glass_reviewed" | "request.expired" | "request.ended" | "extension.requested" | "extension.approval_recorded" | "extension.approved" | "extension.denied" | "credentials.issued" | "credentials.failed" | "ssm.sessions_terminated" | "db.sessions_terminated" | "db.sessions_termination_failed" | "target.created" | "policy.updated" | "target.updated" | "service.registered" | "integration.created" | "integration.role_registered" | "integration.verified" | "integration.verification_failed" | "integration.setup_issued" | "log.checkpoint" | "slack.action_refused";
            actorId: string;
            /** @enum {string} */
            actorKind: "user" | "service" | "system";
            /** @enum {string} */
            outcome: "success" | "failure";
            requestId?: string;
            targetId?: string;
            databaseUser?: string;
            requesterId?: string;
            /** @description The request's ticket reference (its target's ticketPattern), on request.created. */
            ticket?: string;
            /**
             * @description On every event of a break-glass request.
             * @constant
             */
            breakGlass?: true;
            /** @description What the action recorded; never a token, key or session token. */
            details?: {
                [key: string]: unknown;
            };
            /** @description The position in its hash chain. */
            seq: number;
            prevHash: string;
            /** @description sha256 of the canonical JSON of the event without `hash`. */
            hash: string;
        };
        VerifyReport: {
            ok: boolean;
            /** @description How many chains the tenant's log has. */
            chains: number;
            /** @description How many events this call checked and linked. */
            checked: number;
            /** @description False when `limit` stopped the walk before the end: call again from `next`. */
            complete: boolean;
            next?: {
                chain: number;
                seq: number;
            };
            /** @description The checkpoint every chain was checked against (the newest). */
            checkpoint?: {
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                at: string;
            };
            /** @description The first broken link: a finding, not a failed call. */
            brokenLink?: {
                chain: number;
                seq: number;
                /** @enum {string} */
                kind: "modified" | "deleted" | "inserted";
                message: string;
            };
        };
        SignDigestResult: {
            /** @description False when nothing was appended since the newest digest, which is returned. */
            signed: boolean;
            digest: components["schemas"]["SignedDigest"];
        };
        SignedDigest: {
            /** @constant */
            type: "digest";
            /** @constant */
            v: 2;
            tenantId: string;
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            at: string;
            /** @description Every chain of the tenant at `at` (seq 0: no event yet). */
            heads: {
                chain: number;
                seq: number;
                hash: string;
            }[];
            /** @description The signature of the tenant's digest before this one; null for its first. */
            previous: string | null;
            /** @description The KMS key (ARN) that signed. */
            keyId: string;
            /** @enum {string} */
            algorithm: "ECDSA_SHA_256" | "RSASSA_PKCS1_V1_5_SHA_256";
            /** @description Base64 of the signature over the canonical JSON of every other field (DER for ECDSA). */
            signature: string;
        };
        DigestPublicKey: {
            keyId: string;
            keySpec: string;
            signingAlgorithms: string[];
            /** @description The public key, SubjectPublicKeyInfo in PEM: `latchkey audit verify --file … --public-key FILE`. */
            publicKeyPem: string;
        };
        AccessSummary: {
            /**
             * Format: date-time
             * @description An instant, ISO 8601 in UTC.
             */
            at: string;
            activeGrants: {
                requestId: string;
                requesterId: string;
                targetId: string;
                databaseUser: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                windowStart: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                windowEnd: string;
            }[];
            range: {
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                from: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                to: string;
            };
            history: {
                targetId: string;
                databaseUser: string;
                requesters: {
                    requesterId: string;
                    grants: number;
                    issuances: number;
                    /**
                     * Format: date-time
                     * @description An instant, ISO 8601 in UTC.
                     */
                    lastAt: string;
                }[];
            }[];
            /** @description Grants ended with database sessions still open: their latest termination attempt in the range failed (retried at nextAttemptAt, or given up) or left sessions it could not attribute. */
            sessionsLeftOpen: {
                requestId: string;
                requesterId: string;
                targetId: string;
                databaseUser: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                at: string;
                error?: string;
                /**
                 * Format: date-time
                 * @description An instant, ISO 8601 in UTC.
                 */
                nextAttemptAt?: string;
                gaveUp?: boolean;
                unattributed?: number[];
            }[];
            /** @description True when a cap stopped a read: the summary is a lower bound, use the export for the full list. */
            truncated: boolean;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The resolved principal. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Principal"];
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    listTargets: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of targets. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetPage"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    createTarget: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    engine: "postgres" | "mysql" | "mariadb";
                    /** @default false */
                    aurora?: boolean;
                    endpoint: string;
                    port: number;
                    region: string;
                    accountId: string;
                    resourceId: string;
                    databaseUsers: string[];
                    bastionInstanceId?: string;
                    integrationId?: string;
                    policy: {
                        /**
                         * @default {
                         *       "groups": [],
                         *       "principals": []
                         *     }
                         */
                        requesters?: {
                            /** @default [] */
                            groups?: string[];
                            /** @default [] */
                            principals?: string[];
                        };
                        approvers: {
                            /** @default [] */
                            groups?: string[];
                            /** @default [] */
                            principals?: string[];
                        };
                        /** @default 1 */
                        approvalsRequired?: number;
                        maxDurationMinutes: number;
                        /** @default true */
                        reasonRequired?: boolean;
                        /** @default 1440 */
                        pendingTimeoutMinutes?: number;
                        /** @default [] */
                        autoApprove?: {
                            databaseUser: string;
                            /** @default [] */
                            groups?: string[];
                            /** @default [] */
                            principals?: string[];
                        }[];
                        sessions?: {
                            /**
                             * @default tagged
                             * @enum {string}
                             */
                            attribution?: "tagged";
                            /**
                             * @default direct
                             * @enum {string}
                             */
                            terminateVia?: "direct";
                        };
                        /**
                         * @default {
                         *       "slackChannels": [],
                         *       "dmApprovers": false,
                         *       "email": false,
                         *       "emailTo": []
                         *     }
                         */
                        notify?: {
                            /** @default [] */
                            slackChannels?: string[];
                            /** @default false */
                            dmApprovers?: boolean;
                            /** @default false */
                            email?: boolean;
                            /** @default [] */
                            emailTo?: string[];
                        };
                        /** @description RE2 syntax (no backreferences or lookaround); must not match the empty string. */
                        ticketPattern?: string;
                        breakGlass?: {
                            /** @default [] */
                            groups?: string[];
                            /** @default [] */
                            principals?: string[];
                            /** @default 60 */
                            maxDurationMinutes?: number;
                            /** @default 3 */
                            maxPerPersonPerDay?: number;
                        };
                        stepUp?: {
                            approve?: {
                                maxAgeMinutes?: number;
                                /** @default false */
                                mfa?: boolean;
                            };
                            issue?: {
                                maxAgeMinutes?: number;
                                /** @default false */
                                mfa?: boolean;
                            };
                        };
                    };
                };
            };
        };
        responses: {
            /** @description The registered target. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Target"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "already_exists" | "conflict" | "integration_not_verified";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    getTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                targetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The target. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Target"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    changeTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                targetId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                    /** @default false */
                    force?: boolean;
                    integrationId?: string | null;
                    endpoint?: string;
                    port?: number;
                    databaseUsers?: string[];
                    bastionInstanceId?: string | null;
                    name?: unknown;
                    engine?: unknown;
                    aurora?: unknown;
                    region?: unknown;
                    accountId?: unknown;
                    resourceId?: unknown;
                    policy?: unknown;
                };
            };
        };
        responses: {
            /** @description The target as stored: changed (version + 1, one `target.updated` event) or, for a change that changes nothing, as it was (no event). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Target"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "target_change_breaks_open_grants";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    putPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                targetId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default {
                     *       "groups": [],
                     *       "principals": []
                     *     }
                     */
                    requesters?: {
                        /** @default [] */
                        groups?: string[];
                        /** @default [] */
                        principals?: string[];
                    };
                    approvers: {
                        /** @default [] */
                        groups?: string[];
                        /** @default [] */
                        principals?: string[];
                    };
                    /** @default 1 */
                    approvalsRequired?: number;
                    maxDurationMinutes: number;
                    /** @default true */
                    reasonRequired?: boolean;
                    /** @default 1440 */
                    pendingTimeoutMinutes?: number;
                    /** @default [] */
                    autoApprove?: {
                        databaseUser: string;
                        /** @default [] */
                        groups?: string[];
                        /** @default [] */
                        principals?: string[];
                    }[];
                    sessions?: {
                        /**
                         * @default tagged
                         * @enum {string}
                         */
                        attribution?: "tagged";
                        /**
                         * @default direct
                         * @enum {string}
                         */
                        terminateVia?: "direct";
                    };
                    /**
                     * @default {
                     *       "slackChannels": [],
                     *       "dmApprovers": false,
                     *       "email": false,
                     *       "emailTo": []
                     *     }
                     */
                    notify?: {
                        /** @default [] */
                        slackChannels?: string[];
                        /** @default false */
                        dmApprovers?: boolean;
                        /** @default false */
                        email?: boolean;
                        /** @default [] */
                        emailTo?: string[];
                    };
                    /** @description RE2 syntax (no backreferences or lookaround); must not match the empty string. */
                    ticketPattern?: string;
                    breakGlass?: {
                        /** @default [] */
                        groups?: string[];
                        /** @default [] */
                        principals?: string[];
                        /** @default 60 */
                        maxDurationMinutes?: number;
                        /** @default 3 */
                        maxPerPersonPerDay?: number;
                    };
                    stepUp?: {
                        approve?: {
                            maxAgeMinutes?: number;
                            /** @default false */
                            mfa?: boolean;
                        };
                        issue?: {
                            maxAgeMinutes?: number;
                            /** @default false */
                            mfa?: boolean;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description The target with its new policy. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Target"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    listServices: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of services. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServicePage"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    registerService: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    roleArn: string;
                    name: string;
                    access: {
                        targetId: string;
                        databaseUsers: string[];
                    }[];
                    /** @default false */
                    autoApprove?: boolean;
                };
            };
        };
        responses: {
            /** @description The registered service. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Service"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "already_exists" | "conflict";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    listRequests: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                view?: "mine" | "approvable" | "tenant" | "unreviewed";
                status?: "pending" | "approved" | "denied" | "cancelled" | "expired" | "revoked" | "ended";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of requests. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequestPage"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    createRequest: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    targetId: string;
                    databaseUser: string;
                    durationMinutes: number;
                    reason?: string;
                    /** @description Open the grant at once under the target's break-glass rule (docs/break-glass.md); it must be reviewed afterwards. */
                    breakGlass?: boolean;
                };
            };
        };
        responses: {
            /** @description The new request. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "idempotency_in_progress";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "idempotency_key_reused" | "policy_violation";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description An error. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "break_glass_limit";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    getRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    approveRequest: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string;
                };
            };
        };
        responses: {
            /** @description The request after the approval. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "step_up_required" | "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "already_decided" | "conflict" | "idempotency_in_progress" | "invalid_transition";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "idempotency_key_reused";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    reviewRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    outcome: "acknowledged" | "escalated";
                    note: string;
                };
            };
        };
        responses: {
            /** @description The request with its review. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "invalid_transition";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    denyRequest: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string;
                };
            };
        };
        responses: {
            /** @description The request after the denial. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "idempotency_in_progress" | "invalid_transition";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "idempotency_key_reused";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    cancelRequest: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled request. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "idempotency_in_progress" | "invalid_transition";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "idempotency_key_reused";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    revokeRequest: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string;
                };
            };
        };
        responses: {
            /** @description The revoked request and the SSM sessions it ended. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevokedGrant"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "idempotency_in_progress" | "invalid_transition";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "idempotency_key_reused";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    extendRequest: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    minutes: number;
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The request with its pending extension. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "idempotency_in_progress" | "invalid_transition";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "idempotency_key_reused" | "policy_violation";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    issueCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    ssm?: {
                        localPortNumber?: number;
                    };
                };
            };
        };
        responses: {
            /** @description The credentials (sent with cache-control no-store). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedCredentials"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "step_up_required" | "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "grant_not_active" | "grant_outside_setup" | "integration_not_verified";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "no_bastion" | "packed_policy_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description STS or SSM refused or failed (the body names the AWS error code only). */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "upstream_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The deployment lacks a setting, or the issuance could not be logged (nothing was handed out; retrying is safe). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "issuance_not_recorded";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    listIntegrations: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of integrations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationPage"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    createIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    accountId: string;
                    name: string;
                    externalId?: unknown;
                };
            };
        };
        responses: {
            /** @description The new integration (status `pending`). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "already_exists" | "conflict";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    getIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                integrationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The integration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    getIntegrationSetup: {
        parameters: {
            query?: {
                format?: "json" | "cloudformation" | "terraform" | "sql";
            };
            header?: never;
            path: {
                integrationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The setup (format=json) or the one file the format names. */
            200: {
                headers: {
                    /** @description attachment; filename=… for the file formats. */
                    "content-disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationSetup"] | components["schemas"]["CloudFormationTemplate"];
                    "text/plain": string;
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Breaks the target's policy, or a limit of IAM or SSM, or reuses an Idempotency-Key for a different call. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "setup_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The deployment lacks a setting, or the issuance could not be logged (nothing was handed out; retrying is safe). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_configured";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    registerIntegrationRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                integrationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    roleArn: string;
                    externalId?: unknown;
                };
            };
        };
        responses: {
            /** @description The integration with its role. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    verifyIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                integrationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The integration and the verification. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifiedIntegration"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "conflict" | "role_not_registered";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    slackInteraction: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What became of the click (Slack ignores the body). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SlackInteractionResult"];
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "slack_signature_invalid";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    getNotificationSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationSettings"];
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    putNotificationSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    slackTeamId?: string;
                    securityChannel?: string;
                    /** @default [] */
                    webhooks?: {
                        webhookId?: string;
                        /** Format: uri */
                        url: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description The settings now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationSettings"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The state does not allow it, a repeated approval, a lost race, or a call with the same Idempotency-Key still running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "already_exists" | "conflict";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    listNotificationFailures: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The parked deliveries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParkedDeliveries"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    getContact: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The contact. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    putContact: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email?: string;
                    slackUserId?: string;
                };
            };
        };
        responses: {
            /** @description The contact now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "malformed_json" | "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unsupported_media_type";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                requester?: string;
                target?: string;
                databaseUser?: string;
                actor?: string;
                action?: "request.created" | "request.approval_recorded" | "request.approved" | "request.denied" | "request.cancelled" | "request.revoked" | "request.break_glass_opened" | "request.break_glass_reviewed" | "request.expired" | "request.ended" | "extension.requested" | "extension.approval_recorded" | "extension.approved" | "extension.denied" | "credentials.issued" | "credentials.failed" | "ssm.sessions_terminated" | "db.sessions_terminated" | "db.sessions_termination_failed" | "target.created" | "policy.updated" | "target.updated" | "service.registered" | "integration.created" | "integration.role_registered" | "integration.verified" | "integration.verification_failed" | "integration.setup_issued" | "log.checkpoint" | "slack.action_refused";
                from?: string;
                to?: string;
                order?: "newest" | "oldest";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogEventPage"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    exportEvents: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
                requester?: string;
                target?: string;
                databaseUser?: string;
                actor?: string;
                action?: "request.created" | "request.approval_recorded" | "request.approved" | "request.denied" | "request.cancelled" | "request.revoked" | "request.break_glass_opened" | "request.break_glass_reviewed" | "request.expired" | "request.ended" | "extension.requested" | "extension.approval_recorded" | "extension.approved" | "extension.denied" | "credentials.issued" | "credentials.failed" | "ssm.sessions_terminated" | "db.sessions_terminated" | "db.sessions_termination_failed" | "target.created" | "policy.updated" | "target.updated" | "service.registered" | "integration.created" | "integration.role_registered" | "integration.verified" | "integration.verification_failed" | "integration.setup_issued" | "log.checkpoint" | "slack.action_refused";
                from?: string;
                to?: string;
                order?: "newest" | "oldest";
                format?: "csv" | "ndjson";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV (format=csv) or JSON Lines (format=ndjson). */
            200: {
                headers: {
                    /** @description The next page's cursor; absent on the last page. */
                    "x-next-cursor"?: string;
                    /** @description attachment; filename="grant-log.csv" or "grant-log.jsonl". */
                    "content-disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                    "application/x-ndjson": string;
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    requestTimeline: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                requestId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogEventPage"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description Not found in the caller's tenant. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "not_found";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    verifyLog: {
        parameters: {
            query?: {
                fromChain?: number;
                fromSeq?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verification report. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerifyReport"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    signDigest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest digest. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignDigestResult"];
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    digestPublicKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The public key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DigestPublicKey"];
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
    accessSummary: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
                target?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessSummary"];
                };
            };
            /** @description The body, path or query does not validate (`details` lists the fields), malformed JSON, a bad cursor. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "validation_failed";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description No or invalid credentials (API Gateway checks the JWT: signature, issuer, audience, expiry), or a token without a subject or tenant. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "unauthenticated";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description Authenticated, but not allowed (self-approval, an approver not named by the policy, a non-admin changing targets, an unregistered IAM role). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "forbidden";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
            /** @description The body is over 32 KiB (any method: the limit is checked before anything else). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "payload_too_large";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description A fault on our side; the body reveals nothing. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        error: "internal_error";
                        message: string;
                        /** @description Which fields failed, or what the state was. */
                        details?: unknown;
                    };
                };
            };
        };
    };
}
