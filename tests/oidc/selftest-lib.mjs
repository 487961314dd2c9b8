// Helpers for selftest.mjs: start the provider as a child process, act as a
// relying party (a local HTTP server for redirects and back-channel logout),
// keep cookies by hand, and walk the authorization code flow with fetch.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, jwtVerify } from 'jose';

const PROVIDER = fileURLToPath(new URL('./provider.mjs', import.meta.url));
export const random = (n = 16) => randomBytes(n).toString('base64url');

// Starts `node provider.mjs` and resolves once it printed its issuer line.
export async function startProvider(name) {
  const started = Date.now();
  const child = spawn(process.execPath, [PROVIDER], {
    env: { ...process.env, OIDC_NAME: name },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let stdout = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const issuer = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(stdout.slice(0, nl)).issuer);
    });
    exited.then(({ code }) => reject(new Error(`provider exited (${code}) before ready:\n${stderr}`)));
  });
  const op = {
    name, issuer, child, exited, startMs: Date.now() - started,
    stdout: () => stdout,
    stderr: () => stderr,
    control: (path, body, method = 'POST') => control(issuer, path, body, method),
    discovery: null,
  };
  op.discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  return op;
}

export async function control(issuer, path, body, method = 'POST') {
  const res = await fetch(`${issuer}/__control/${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

// The relying party's side: records every request it receives.
export async function startRp() {
  const rp = { callbacks: [], logoutTokens: [], signedOut: [], backchannelStatus: 200 };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/backchannel') {
      let body = '';
      for await (const chunk of req) body += chunk;
      rp.logoutTokens.push({ contentType: req.headers['content-type'], token: new URLSearchParams(body).get('logout_token') });
      res.writeHead(rp.backchannelStatus).end();
      return;
    }
    if (url.pathname === '/callback') rp.callbacks.push(Object.fromEntries(url.searchParams));
    if (url.pathname === '/signed-out') rp.signedOut.push(Object.fromEntries(url.searchParams));
    res.writeHead(200, { 'content-type': 'text/plain' }).end('rp ok');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  rp.url = `http://127.0.0.1:${server.address().port}`;
  rp.close = () => new Promise((resolve) => server.close(resolve));
  return rp;
}

// One browser's cookies. Deliberately keyed by name only, not by port:
// browsers share cookies across ports of one host, and the selftest must
// see the collisions a browser would.
export class CookieJar {
  cookies = new Map();

  take(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expires = attrs.find((a) => /^\s*expires=/i.test(a));
      const gone = !value || (expires && new Date(expires.split('=')[1]) < new Date());
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

// fetch without following redirects, carrying the jar's cookies.
export async function go(url, jar, { method = 'GET', form, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      ...headers,
      ...(jar?.cookies.size ? { cookie: jar.header() } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form) : undefined,
  });
  jar?.take(res);
  return { res, status: res.status, location: res.headers.get('location'), text: await res.text() };
}

export function pkce() {
  const verifier = random(32);
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

// Walks one authorization request like a browser: follows redirects, fills
// the login form (at most once) with `login`, and stops at the RP's callback
// (which the RP server records) or at a page that is not a redirect.
// Returns { callback, loginPage (HTML of the first form shown), page }.
export async function signIn(op, client, rp, jar, login, extra = {}) {
  const { verifier, challenge } = pkce();
  const params = {
    client_id: client.client_id,
    redirect_uri: `${rp.url}/callback`,
    response_type: 'code',
    scope: 'openid email profile',
    state: random(),
    nonce: random(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) if (v === undefined) delete params[k];
  let url = `${op.discovery.authorization_endpoint}?${new URLSearchParams(params)}`;
  let step = await go(url, jar);
  const out = { params, verifier };
  for (let hops = 0; hops < 10; hops += 1) {
    if (step.location) {
      url = new URL(step.location, url).href;
      if (url.startsWith(`${rp.url}/callback`)) {
        const before = rp.callbacks.length;
        await go(url);
        out.callback = rp.callbacks[before];
        return out;
      }
      step = await go(url, jar);
      continue;
    }
    out.page = step.text;
    if (step.status !== 200 || !step.text.includes('id="login"') || out.loginPage) return out;
    out.loginPage = step.text;
    const action = /<form method="post" action="([^"]+)"/.exec(step.text)[1];
    url = new URL(action, url).href;
    step = await go(url, jar, { method: 'POST', form: { login } });
  }
  throw new Error('too many redirects');
}

// Code -> tokens at the token endpoint, with either client auth method.
export async function exchange(op, client, rp, { callback, verifier }) {
  const form = {
    grant_type: 'authorization_code',
    code: callback.code,
    redirect_uri: `${rp.url}/callback`,
    code_verifier: verifier,
  };
  const headers = {};
  if (client.token_endpoint_auth_method === 'client_secret_post') {
    Object.assign(form, { client_id: client.client_id, client_secret: client.client_secret });
  } else {
    const basic = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  const { status, text } = await go(op.discovery.token_endpoint, null, { method: 'POST', form, headers });
  return { status, body: JSON.parse(text) };
}

// The JWKS as served now (fresh each time, as a relying party refreshes it
// on an unknown kid).
export async function jwks(op) {
  return (await fetch(op.discovery.jwks_uri)).json();
}

// What a relying party checks, in its order: signature against the JWKS,
// iss, aud, exp/iat (jose), then nonce.
export async function verifyIdToken(op, idToken, { clientId, nonce }) {
  const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(await jwks(op)), {
    issuer: op.issuer, audience: clientId, algorithms: ['RS256'],
  });
  if (payload.nonce !== nonce) throw Object.assign(new Error('nonce mismatch'), { code: 'NONCE_MISMATCH' });
  return { payload, protectedHeader };
}
