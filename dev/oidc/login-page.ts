import { allRoles } from '#shared/kernel/principal';
import { asksMfa, type AuthorizationRequest, type OAuthError } from './code-flow.ts';

// The development issuer's "login": no password, the developer says who to be.
// The authorization request travels in hidden fields and is checked again on
// POST; user, tenant, roles, groups (and a token lifetime) are typed in, or
// prefilled from the same names in the query string. Every sign-in is fresh
// (auth_time = now); the second-factor box adds `mfa` to the token's amr.

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const OAUTH_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'state', 'scope', 'nonce', 'prompt', 'max_age', 'acr_values'] as const;

export function loginPage(request: AuthorizationRequest, given: URLSearchParams, problem?: string): string {
  const hidden = OAUTH_FIELDS.flatMap((name) => {
    const value = given.get(name);
    return value === null ? [] : [`<input type="hidden" name="${name}" value="${escape(value)}">`];
  }).join('\n    ');
  const field = (name: string, label: string, hint = '') =>
    `<label>${label} <input name="${name}" value="${escape(given.get(name) ?? '')}"></label>${hint ? ` <small>${hint}</small>` : ''}<br>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Latchkey development sign-in</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}label{display:inline-block;margin:.3em 0}input{margin-left:.5em}.problem{color:#a00}</style></head>
<body>
  <h1>Latchkey development sign-in</h1>
  <p>This issuer runs on your machine for the local stack only. Say who to be; <code>${escape(request.clientId)}</code> gets a token for it at <code>${escape(new URL(request.redirectUri).host)}</code>.</p>
  ${problem ? `<p class="problem">${escape(problem)}</p>` : ''}
  <form method="post" action="/authorize">
    ${hidden}
    ${field('user', 'User')}
    ${field('tenant', 'Tenant')}
    ${field('roles', 'Roles', `comma-separated: ${allRoles.join(', ')}`)}
    ${field('groups', 'Groups', 'comma-separated, optional')}
    ${field('name', 'Display name', 'optional')}
    ${field('ttl', 'Token lifetime (s)', 'optional, default 3600')}
    <label><input type="checkbox" name="mfa"${given.get('mfa') || asksMfa(request) ? ' checked' : ''}> Signed in with a second factor</label> <small>amr: mfa${asksMfa(request) ? '; this sign-in asks for one' : ''}</small><br>
    <button type="submit">Sign in</button>
  </form>
</body></html>
`;
}

export function errorPage(error: OAuthError): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in refused</title></head>
<body><h1>Sign-in refused: ${escape(error.error)}</h1><p>${escape(error.message)}</p></body></html>
`;
}
