// The test-only control API under /__control/ (same port as the provider).
// Every answer is JSON: 200 with a result, or 4xx/5xx with { error }.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { FAULT_KINDS } from './fault.mjs';
import { HttpError, readJson, sendJson } from './http.mjs';
import { ALG, newSigningKey, privateKeyFor } from './keys.mjs';
import { endSessionsOf } from './state.mjs';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

// `rebuild()` makes a new oidc-provider instance from state (after a rotation).
export async function handleControl(state, req, res, pathname, { issuer, rebuild }) {
  if (!pathname.startsWith('/__control/')) return false;
  const route = `${req.method} ${pathname.slice('/__control'.length)}`;
  try {
    const handler = ROUTES[route];
    if (!handler) throw new HttpError(404, `no control route ${route}`);
    const body = req.method === 'POST' ? await readJson(req) : {};
    const result = await handler(state, body, { issuer, rebuild });
    console.error(`[${state.name}] control ${route} -> ${JSON.stringify(result)}`);
    sendJson(res, 200, result);
  } catch (err) {
    const status = err.status ?? 500;
    if (status >= 500) console.error(`[${state.name}] control ${route} failed`, err);
    sendJson(res, status, { error: err.message });
  }
  return true;
}

const ROUTES = {
  'POST /clients': addClient,
  'POST /accounts': addAccount,
  'POST /rotate': rotate,
  'POST /fault': setFault,
  'POST /backchannel-logout': backchannelLogout,
  'GET /last-logout': (state) => state.lastLogout ?? { happened: false },
};

function need(condition, message) {
  if (!condition) throw new HttpError(400, message);
}

const isString = (v) => typeof v === 'string' && v.length > 0;
const isUriList = (v) => Array.isArray(v) && v.every(isString);

async function addClient(state, body) {
  const {
    client_id, client_secret, redirect_uris, post_logout_redirect_uris = [],
    backchannel_logout_uri, token_endpoint_auth_method = 'client_secret_basic',
  } = body;
  need(isString(client_id), 'client_id must be a non-empty string');
  need(isString(client_secret), 'client_secret must be a non-empty string');
  need(isUriList(redirect_uris) && redirect_uris.length, 'redirect_uris must be a non-empty array of strings');
  need(isUriList(post_logout_redirect_uris), 'post_logout_redirect_uris must be an array of strings');
  need(['client_secret_basic', 'client_secret_post'].includes(token_endpoint_auth_method),
    'token_endpoint_auth_method must be client_secret_basic or client_secret_post');
  const metadata = {
    client_id,
    client_secret,
    redirect_uris,
    post_logout_redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method,
    id_token_signed_response_alg: ALG,
    ...(backchannel_logout_uri != null
      ? { backchannel_logout_uri, backchannel_logout_session_required: false } : {}),
  };
  // Let oidc-provider judge the metadata now, so a bad redirect URI is a 400
  // here rather than an invalid_client at sign-in.
  try {
    await state.provider.Client.validate(metadata);
  } catch (err) {
    throw new HttpError(400, `invalid client metadata: ${err.error_description ?? err.message}`);
  }
  state.clients.set(client_id, metadata);
  return { client_id };
}

async function addAccount(state, body) {
  const {
    sub, email, email_verified = true, name, tid, oid, disabled = false,
    preferred_username, xms_edov,
  } = body;
  need(isString(sub), 'sub must be a non-empty string');
  need(isString(email), 'email must be a non-empty string');
  // null: the claim is left out, as Microsoft Entra ID leaves it out.
  need(typeof email_verified === 'boolean' || email_verified === null, 'email_verified must be a boolean or null');
  need(preferred_username === undefined || typeof preferred_username === 'string', 'preferred_username must be a string');
  need(xms_edov === undefined || typeof xms_edov === 'boolean', 'xms_edov must be a boolean');
  need(name === undefined || typeof name === 'string', 'name must be a string');
  need(tid === undefined || typeof tid === 'string', 'tid must be a string');
  need(oid === undefined || typeof oid === 'string', 'oid must be a string');
  need(typeof disabled === 'boolean', 'disabled must be a boolean');
  state.accounts.set(sub, {
    sub, email, email_verified, name: name ?? email, tid, oid, disabled, preferred_username, xms_edov,
  });
  // A disabled account must not keep a session it had before.
  if (disabled) endSessionsOf(state, sub);
  return { sub };
}

async function rotate(state, _body, { rebuild }) {
  const key = await newSigningKey();
  state.keys.unshift(key);
  rebuild();
  return { kid: key.kid, kids: state.keys.map((k) => k.kid) };
}

async function setFault(state, { kind }) {
  need(FAULT_KINDS.includes(kind), `kind must be one of ${FAULT_KINDS.join(', ')}`);
  state.fault = kind;
  return { kind };
}

async function backchannelLogout(state, { sub, client_id }, { issuer }) {
  need(isString(sub), 'sub must be a non-empty string');
  need(isString(client_id), 'client_id must be a non-empty string');
  const client = state.clients.get(client_id);
  if (!client) throw new HttpError(404, `no client ${client_id}`);
  need(isString(client.backchannel_logout_uri), `client ${client_id} has no backchannel_logout_uri`);

  // Back-Channel Logout 1.0 §2.4: iss, aud, iat, exp, jti, sub, events; no
  // nonce; typ logout+jwt (§2.4 recommends it, RFC 8725 explicit typing).
  const jwk = state.keys[0];
  const logoutToken = await new SignJWT({ events: { [BACKCHANNEL_EVENT]: {} } })
    .setProtectedHeader({ alg: ALG, kid: jwk.kid, typ: 'logout+jwt' })
    .setIssuer(issuer)
    .setAudience(client_id)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2m')
    .setJti(randomUUID())
    .sign(await privateKeyFor(jwk));

  const sessionsEnded = endSessionsOf(state, sub);
  let response;
  try {
    response = await fetch(client.backchannel_logout_uri, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: logoutToken }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
  } catch (err) {
    throw new HttpError(502, `could not reach ${client.backchannel_logout_uri}: ${err.cause?.message ?? err.message}`);
  }
  return { status: response.status, sessions_ended: sessionsEnded };
}
