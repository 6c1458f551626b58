// The STS client and the one command Latchkey sends, for sts-role-assumer.ts to import lazily: a dynamic
// import of '@aws-sdk/client-sts' itself would keep every export of the package in the bundle.
export { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
