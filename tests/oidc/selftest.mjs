// Self-test of the test OpenID Provider: `node tests/oidc/selftest.mjs`.
// Starts two providers as child processes and drives every feature with
// plain fetch, acting as the relying party. Exits non-zero on any failure.
import assert from 'node:assert/strict';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  CookieJar, exchange, go, jwks, random, signIn, startProvider, startRp, verifyIdToken,
} from './selftest-lib.mjs';
import { faultTests } from './selftest-faults.mjs';

let passed = 0;
let failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`not ok - ${name}\n  ${String(err.stack ?? err).replace(/\n/g, '\n  ')}`);
  }
}

const rp = await startRp();
const [police, council] = await Promise.all([startProvider('Northshire Police'), startProvider('Northshire Council')]);
console.log(`# providers started in ${police.startMs} ms and ${council.startMs} ms (concurrently)`);

const client = {
  client_id: 'pillars',
  client_secret: random(),
  redirect_uris: [`${rp.url}/callback`],
  post_logout_redirect_uris: [`${rp.url}/signed-out`],
  backchannel_logout_uri: `${rp.url}/backchannel`,
};
const postClient = {
  client_id: 'pillars-post',
  client_secret: random(),
  redirect_uris: [`${rp.url}/callback`],
  token_endpoint_auth_method: 'client_secret_post',
};
const alice = { sub: 'alice-1', email: 'alice@police.example', name: 'Alice Archer', tid: 'tenant-police', oid: 'object-alice' };
const bob = { sub: 'bob-2', email: 'bob@police.example', name: 'Bob Baker', email_verified: false };
const carol = { sub: 'carol-3', email: 'carol@police.example', name: 'Carol Cole', disabled: true };
const dave = { sub: 'dave-4', email: 'dave@council.example', name: 'Dave Dale', tid: 'tenant-council' };

// One sign-in and token exchange; returns the id_token and what was sent.
async function flow(op, c, login, jar = new CookieJar()) {
  const out = await signIn(op, c, rp, jar, login);
  assert.ok(out.callback?.code, `no code; page: ${out.page?.slice(0, 300)}`);
  const tokens = await exchange(op, c, rp, out);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return { ...out, jar, idToken: tokens.body.id_token, tokens: tokens.body };
}

await test('start: one stdout line with the issuer, no trailing slash', async () => {
  for (const op of [police, council]) {
    assert.match(op.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(op.stdout(), `${JSON.stringify({ issuer: op.issuer })}\n`);
  }
  assert.notEqual(police.issuer, council.issuer);
});

await test('discovery', async () => {
  const d = police.discovery;
  assert.equal(d.issuer, police.issuer);
  for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'end_session_endpoint']) {
    assert.ok(d[k]?.startsWith(`${police.issuer}/`), k);
  }
  assert.deepEqual(d.response_types_supported, ['code']);
  assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
  assert.equal(d.backchannel_logout_supported, true);
  assert.ok(d.id_token_signing_alg_values_supported.includes('RS256'));
  assert.deepEqual(d.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);
  for (const s of ['openid', 'email', 'profile']) assert.ok(d.scopes_supported.includes(s), s);
  for (const c of ['sub', 'email', 'email_verified', 'name', 'tid', 'oid']) assert.ok(d.claims_supported.includes(c), c);
});

await test('control API: registers clients and accounts, rejects bad input', async () => {
  for (const c of [client, postClient]) assert.deepEqual(await police.control('clients', c), { status: 200, body: { client_id: c.client_id } });
  for (const a of [alice, bob, carol]) assert.equal((await police.control('accounts', a)).status, 200);
  assert.equal((await council.control('clients', client)).status, 200);
  assert.equal((await council.control('accounts', dave)).status, 200);
  assert.equal((await police.control('fault', { kind: 'bogus' })).status, 400);
  assert.equal((await police.control('clients', { client_id: 'x', client_secret: 'y' })).status, 400);
  const bad = await police.control('clients', { client_id: 'x', client_secret: 'y', redirect_uris: ['not a url'] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /redirect_uris/);
  assert.equal((await police.control('nothing-here', {})).status, 404);
  assert.deepEqual((await police.control('last-logout', undefined, 'GET')).body, { happened: false });
  // Replacing a client takes effect at once (oidc-provider caches clients
  // by their metadata, so new metadata is a new client).
  const temp = { ...client, client_id: 'replaced' };
  await police.control('clients', temp);
  assert.ok((await signIn(police, temp, rp, new CookieJar(), alice.email)).callback?.code);
  await police.control('clients', { ...temp, redirect_uris: [`${rp.url}/elsewhere`] });
  const refused = await signIn(police, temp, rp, new CookieJar(), alice.email);
  assert.equal(refused.callback, undefined);
  assert.match(refused.page, /redirect_uri/);
});

await test('login page: accessible form with the provider name', async () => {
  const { loginPage } = await signIn(police, client, rp, new CookieJar(), alice.email);
  assert.match(loginPage, /<html lang="en">/);
  assert.match(loginPage, /<title>[^<]+<\/title>/);
  assert.match(loginPage, /<h1>Northshire Police<\/h1>/);
  assert.match(loginPage, /<label for="login">[^<]+<\/label>/);
  assert.match(loginPage, /<input type="text" id="login" name="login"/);
  assert.match(loginPage, /<button type="submit">Sign in<\/button>/);
});

await test('code flow with PKCE, state, nonce; client_secret_basic; id_token verified', async () => {
  const f = await flow(police, client, alice.email);
  assert.equal(f.callback.state, f.params.state);
  assert.equal(f.callback.iss, police.issuer);
  assert.ok(f.loginPage, 'a fresh browser must see the login form');
  assert.equal(f.tokens.token_type, 'Bearer');
  const { payload, protectedHeader } = await verifyIdToken(police, f.idToken, { clientId: client.client_id, nonce: f.params.nonce });
  assert.equal(protectedHeader.alg, 'RS256');
  assert.equal(payload.sub, alice.sub);
  assert.equal(payload.email, alice.email);
  assert.equal(payload.email_verified, true);
  assert.equal(payload.name, alice.name);
  assert.equal(payload.tid, alice.tid);
  assert.equal(payload.oid, alice.oid);
  // The same browser signs in again without the form (provider session).
  const again = await signIn(police, client, rp, f.jar, 'unused');
  assert.ok(again.callback?.code && !again.loginPage);
});

await test('client_secret_post and _basic both accepted; wrong secret refused; sign in by sub; no tid/oid', async () => {
  const f = await flow(police, postClient, bob.sub);
  const { payload } = await verifyIdToken(police, f.idToken, { clientId: postClient.client_id, nonce: f.params.nonce });
  assert.equal(payload.email, bob.email);
  assert.equal(payload.email_verified, false);
  assert.ok(!('tid' in payload) && !('oid' in payload));
  // oidc-provider 9 accepts basic and post alike for any client_secret_* client.
  const g = await signIn(police, postClient, rp, f.jar, bob.sub);
  assert.equal((await exchange(police, { ...postClient, token_endpoint_auth_method: 'client_secret_basic' }, rp, g)).status, 200);
  const h = await signIn(police, client, rp, f.jar, bob.sub);
  assert.equal((await exchange(police, { ...client, token_endpoint_auth_method: 'client_secret_post' }, rp, h)).status, 200);
  const i = await signIn(police, postClient, rp, f.jar, bob.sub);
  const wrong = await exchange(police, { ...postClient, client_secret: 'wrong' }, rp, i);
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, 'invalid_client');
});

await test('PKCE is required and checked', async () => {
  const jar = new CookieJar();
  const noPkce = await signIn(police, client, rp, jar, alice.email, { code_challenge: undefined, code_challenge_method: undefined });
  assert.equal(noPkce.callback?.error, 'invalid_request');
  const f = await signIn(police, client, rp, jar, alice.email);
  const bad = await exchange(police, client, rp, { ...f, verifier: random(32) });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error, 'invalid_grant');
});

await test('unknown and disabled accounts get the form again with an error', async () => {
  for (const [login, message] of [[carol.email, 'This account is disabled.'], [carol.sub, 'This account is disabled.'],
    ['nobody@police.example', 'No account matches that email address.']]) {
    const out = await signIn(police, client, rp, new CookieJar(), login);
    assert.equal(out.callback, undefined);
    assert.ok(out.page.includes(message), out.page);
    assert.match(out.page, /role="alert"/);
    assert.match(out.page, /id="login"/);
  }
  // Disabling an account ends its session: no more codes for that browser.
  const dan = { sub: 'dan-5', email: 'dan@police.example', name: 'Dan' };
  await police.control('accounts', dan);
  const f = await flow(police, client, dan.email);
  await police.control('accounts', { ...dan, disabled: true });
  const after = await signIn(police, client, rp, f.jar, dan.email);
  assert.equal(after.callback, undefined);
  assert.ok(after.page.includes('This account is disabled.'));
});

await faultTests({ test, police, client, flow });

await test('rotate: new kid signs, JWKS serves new first and keeps old, session survives', async () => {
  const before = await flow(police, client, alice.email);
  const oldKid = decodeProtectedHeader(before.idToken).kid;
  const { status, body } = await police.control('rotate');
  assert.equal(status, 200);
  assert.notEqual(body.kid, oldKid);
  const keys = (await jwks(police)).keys.map((k) => k.kid);
  assert.equal(keys[0], body.kid);
  assert.ok(keys.includes(oldKid));
  assert.ok((await jwks(police)).keys.every((k) => !('d' in k)), 'no private parts in the JWKS');
  const after = await signIn(police, client, rp, before.jar, 'unused');
  assert.ok(after.callback?.code && !after.loginPage, 'session kept across the rebuild');
  const tokens = await exchange(police, client, rp, after);
  const { protectedHeader } = await verifyIdToken(police, tokens.body.id_token, { clientId: client.client_id, nonce: after.params.nonce });
  assert.equal(protectedHeader.kid, body.kid);
  await verifyIdToken(police, before.idToken, { clientId: client.client_id, nonce: before.params.nonce });
});

// Checks a Back-Channel Logout 1.0 logout token as an RP must.
async function verifyLogoutToken(op, token, sub) {
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await jwks(op)), {
    issuer: op.issuer, audience: client.client_id, algorithms: ['RS256'], typ: 'logout+jwt', requiredClaims: ['iat', 'exp', 'jti'],
  });
  assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} });
  assert.equal(payload.sub, sub);
  assert.ok(!('nonce' in payload));
  return { payload, protectedHeader };
}

await test('control back-channel logout: delivered, verifiable, ends the provider session', async () => {
  const f = await flow(police, client, alice.email);
  const before = rp.logoutTokens.length;
  const { body } = await police.control('backchannel-logout', { sub: alice.sub, client_id: client.client_id });
  assert.equal(body.status, 200);
  assert.equal(rp.logoutTokens.length, before + 1);
  const { contentType, token } = rp.logoutTokens[before];
  assert.equal(contentType, 'application/x-www-form-urlencoded');
  const { protectedHeader } = await verifyLogoutToken(police, token, alice.sub);
  assert.equal(protectedHeader.kid, (await jwks(police)).keys[0].kid);
  const again = await signIn(police, client, rp, f.jar, alice.email);
  assert.ok(again.loginPage, 'provider session ended: the form is shown again');
  rp.backchannelStatus = 400;
  assert.equal((await police.control('backchannel-logout', { sub: alice.sub, client_id: client.client_id })).body.status, 400);
  rp.backchannelStatus = 200;
  assert.equal((await police.control('backchannel-logout', { sub: alice.sub, client_id: postClient.client_id })).status, 400);
});

await test('RP-initiated logout: auto-submitted form, redirect to post_logout_redirect_uri, provider back-channel', async () => {
  const f = await flow(police, client, alice.email);
  const state = random();
  const url = `${police.discovery.end_session_endpoint}?${new URLSearchParams({
    id_token_hint: f.idToken, post_logout_redirect_uri: `${rp.url}/signed-out`, state,
  })}`;
  const page = await go(url, f.jar);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Northshire Police<\/h1>/);
  assert.match(page.text, /\.submit\(\)/, 'the form submits itself');
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(page.text)[1];
  const form = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  assert.equal(form.logout, 'yes');
  const before = rp.logoutTokens.length;
  const done = await go(action, f.jar, { method: 'POST', form });
  assert.equal(done.status, 303);
  assert.equal(done.location, `${rp.url}/signed-out?state=${state}`);
  await go(done.location);
  assert.deepEqual(rp.signedOut.at(-1), { state });
  assert.equal(rp.logoutTokens.length, before + 1, 'oidc-provider sent its own back-channel logout');
  await verifyLogoutToken(police, rp.logoutTokens[before].token, alice.sub);
  const last = (await police.control('last-logout', undefined, 'GET')).body;
  assert.equal(last.happened, true);
  assert.equal(last.count, 1);
  assert.equal(last.sub, alice.sub);
  assert.equal(last.client_id, client.client_id);
  assert.ok((await signIn(police, client, rp, f.jar, alice.email)).loginPage, 'signed out at the provider');
});

await test('two instances at once, one browser: separate issuers, keys and sessions', async () => {
  const jar = new CookieJar();
  const p = await flow(police, client, alice.email, jar);
  const c = await flow(council, client, dave.email, jar);
  assert.match(c.loginPage, /<h1>Northshire Council<\/h1>/);
  const { payload } = await verifyIdToken(council, c.idToken, { clientId: client.client_id, nonce: c.params.nonce });
  assert.equal(payload.iss, council.issuer);
  assert.equal(payload.tid, dave.tid);
  await assert.rejects(verifyIdToken(council, p.idToken, { clientId: client.client_id, nonce: p.params.nonce }));
  // Signing in at the council did not clobber the police session cookie.
  const again = await signIn(police, client, rp, jar, 'unused');
  assert.ok(again.callback?.code && !again.loginPage);
  // Council knows nothing of police's accounts.
  assert.ok((await signIn(council, client, rp, new CookieJar(), alice.email)).page.includes('No account matches'));
});

await test('exits when stdin closes, and on SIGTERM', async () => {
  const a = await startProvider('stdin');
  a.child.stdin.end();
  assert.deepEqual(await a.exited, { code: 0, signal: null });
  const b = await startProvider('sigterm');
  b.child.kill('SIGTERM');
  assert.deepEqual(await b.exited, { code: 0, signal: null });
});

for (const op of [police, council]) op.child.stdin.end();
await Promise.all([police.exited, council.exited]);
await rp.close();
if (failed) {
  for (const op of [police, council]) console.log(`# ${op.name} stderr:\n${op.stderr().replace(/^/gm, '#   ')}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
