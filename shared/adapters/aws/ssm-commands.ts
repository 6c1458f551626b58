// The SSM client and the two commands Latchkey sends, for ssm-session-starter.ts to import lazily.
// A dynamic import of '@aws-sdk/client-ssm' itself would keep every export of the package in the
// bundle (a namespace object cannot be tree-shaken): 225 KB of text each broker import has to scan.
export { SSMClient, StartSessionCommand, TerminateSessionCommand } from '@aws-sdk/client-ssm';
