// Types of deploy-guard.mjs for the TypeScript tests (osls loads the .mjs itself).
export declare const PLACEHOLDER_ISSUER: string;
export declare function issuerProblem(issuer: unknown): string | undefined;
export declare function deployProblems(service: {
  provider?: { httpApi?: { authorizers?: Record<string, { type?: string; issuerUrl?: unknown; audience?: unknown }> } };
}): string[];
export declare function refusal(stage: string, problems: string[]): string;
declare class DeployGuard {
  constructor(serverless: unknown, options: Record<string, unknown>);
  hooks: Record<string, () => void>;
  check(): void;
}
export default DeployGuard;
