import { createContext, useContext } from 'react';
import type { LatchkeyClient, Principal, Target } from './api.ts';
import type { Resume, StepUpParams } from './auth/oidc.ts';

// Who is signed in, and the client that calls the API as them. The token itself stays
// in the closure of that client (app.tsx): pages never see it.

export interface Session {
  client: LatchkeyClient;
  me: Principal;
  expiresAt: number;
  /** Names by target ID, for tables that only carry IDs. */
  targets: Map<string, Target>;
  reloadTargets(): Promise<void>;
  /** Signs in again with what a step_up_required answer asks for, then redoes `resume` (once). */
  stepUp(params: StepUpParams, resume: Resume): Promise<void>;
  /** The action a step-up interrupted, for the page that owns it to redo; taken once. */
  takeResume(action: Resume['action'], requestId: string): Resume | undefined;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

export const hasRole = (me: Principal, ...roles: Principal['roles']) => roles.some((role) => me.roles.includes(role));

export const targetName = (session: Session, targetId: string) => session.targets.get(targetId)?.name ?? targetId;
