// Public surface of the local AWS stand-in (a development and test tool, not product code).
export { startAwsStandin, type AwsStandin, type AwsStandinOptions } from './server.ts';
export { StandinState, AWS_OWNED_DOCUMENTS, DEFAULT_SESSION_DOCUMENT, type AddRoleInput, type AddCredentialsInput, type IssueOptions } from './state.ts';
export { verifySigV4, type SignedRequest, type VerifyOptions, type SigV4Result, type SigV4FailureCode } from './sigv4.ts';
export { verifyRdsToken, type RdsConnection, type RdsTokenVerdict, type RdsTokenRejection } from './rds-verifier.ts';
export type { PolicyDocument, PolicyStatement } from './policy-schema.ts';
export type * from './model.ts';
