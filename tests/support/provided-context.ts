// What tests/support/global-setup.ts hands to the integration and e2e tests
// through vitest's provide/inject: where the local stack it started listens.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The local API, e.g. http://127.0.0.1:41234 (HTTP API and REST routes). */
    apiUrl: string;
    /** The development OIDC issuer; tokens must carry it as `iss`. */
    issuer: string;
    dynamodbEndpoint: string;
    /** The STS/SSM stand-in, when dev/aws-standin is present. */
    stsUrl: string | undefined;
    /** The stack's home: the signing key tests/support/tokens.ts uses lives here. */
    latchkeyHome: string;
    mainTable: string;
    logTable: string;
    region: string;
  }
}

export {};
