// What tests/support/global-setup.ts hands to the integration and e2e tests
// through vitest's provide/inject: where the local stack it started listens.
import type { LocalMariadb, LocalPostgres } from '../../dev/databases/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local API, e.g. http://127.0.0.1:41234 (HTTP API and REST routes). */
    apiUrl: string;
    /** The web console (console/), the API under its /api/. */
    consoleUrl: string;
    /** The development OIDC issuer; tokens must carry it as `iss`. */
    issuer: string;
    dynamodbEndpoint: string;
    /** The STS/SSM stand-in, when dev/aws-standin is present. */
    stsUrl: string | undefined;
    /** The Slack/SES/Secrets Manager/webhook stand-in (dev/notify-standin); its state under /_notify/. */
    notifyUrl: string;
    /** The stack's home: the signing key tests/support/tokens.ts uses lives here. */
    latchkeyHome: string;
    mainTable: string;
    logTable: string;
    region: string;
    /** The local PostgreSQL and MariaDB (dev/databases): RDS-like endpoint, real address, admin sockets. */
    postgres: LocalPostgres;
    mariadb: LocalMariadb;
    /** The local CA their certificates chain to; global-bundle.pem beside it is a copy. */
    caBundle: string;
    /** LD_PRELOAD and NSS_WRAPPER_HOSTS for a client process: the RDS names resolve to 127.0.0.1. */
    clientEnv: Record<string, string>;
  }
}

export {};
