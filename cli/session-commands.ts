import { LatchkeyApi } from './api.ts';
import type { Context } from './context.ts';
import { CliError, ExitCode } from './errors.ts';
import { canOpenBrowser, login } from './login.ts';
import { fields } from './output.ts';

// login, logout, whoami.

export const LOGIN_TIMEOUT_MS = 5 * 60_000;

export async function loginCommand(ctx: Context, options: { browser: boolean; port: number; scope: string }): Promise<void> {
  if (!ctx.issuer) {
    throw new CliError(`no identity provider known for ${ctx.apiUrl}`, ExitCode.usage, 'pass --issuer https://your-idp/ (or set LATCHKEY_ISSUER)');
  }
  const session = await login({
    apiUrl: ctx.apiUrl,
    issuer: ctx.issuer,
    clientId: ctx.clientId,
    scope: options.scope,
    port: options.port,
    openBrowser: options.browser && canOpenBrowser(ctx.env, process.stderr.isTTY === true),
    timeoutMs: LOGIN_TIMEOUT_MS,
    say: (text) => ctx.out.note(text),
    status: (text) => ctx.out.status(text),
  });
  ctx.cache.save(session);
  // The API is the judge of the token: ask it who the new login is (with its own token, not a
  // LATCHKEY_TOKEN / --token that would win for every other command).
  const me = await new LatchkeyApi({ baseUrl: ctx.apiUrl, token: async () => session.accessToken }).me();
  if (ctx.explicitToken) ctx.out.note('LATCHKEY_TOKEN / --token is set: other commands use it, not this login, until it is unset.');
  if (ctx.out.json) return ctx.out.data({ signedIn: true, apiUrl: ctx.apiUrl, issuer: ctx.issuer, expiresAt: session.expiresAt, refreshable: session.refreshToken !== undefined, me });
  ctx.out.print(`Signed in to ${ctx.apiUrl} as ${ctx.out.colors.bold(me.id)} (tenant ${me.tenantId}; roles ${me.roles.join(', ') || 'none'}${me.groups.length ? `; groups ${me.groups.join(', ')}` : ''})`);
}

export function logoutCommand(ctx: Context): void {
  const removed = ctx.cache.remove(ctx.apiUrl);
  if (ctx.out.json) return ctx.out.data({ signedOut: removed, apiUrl: ctx.apiUrl });
  ctx.out.print(removed ? `Signed out of ${ctx.apiUrl}` : `Not signed in to ${ctx.apiUrl}`);
}

export async function whoamiCommand(ctx: Context): Promise<void> {
  const me = await ctx.api.me();
  if (ctx.out.json) return ctx.out.data(me);
  const session = ctx.explicitToken ? undefined : ctx.cache.get(ctx.apiUrl);
  ctx.out.print(
    fields(
      [
        ['id', ctx.out.colors.bold(me.id)],
        ['kind', me.kind],
        ['tenant', me.tenantId],
        ['roles', me.roles.join(', ') || 'none'],
        ['groups', me.groups.join(', ') || undefined],
        ['api', ctx.apiUrl],
        ['token', ctx.explicitToken ? 'from --token / LATCHKEY_TOKEN' : session ? `login, until ${session.expiresAt.replace(/\.\d{3}Z$/, 'Z')}` : undefined],
      ],
      ctx.out.colors,
    ),
  );
}
