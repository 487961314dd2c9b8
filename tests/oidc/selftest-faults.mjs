// The fault-injection part of the selftest: each kind must give a token that
// a relying party's checks reject for exactly the intended reason, while
// being otherwise valid; and the next flow must be clean again.
import assert from 'node:assert/strict';
import {
  compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify,
} from 'jose';
import { jwks, verifyIdToken } from './selftest-lib.mjs';

export async function faultTests({ test, police, client, flow }) {
  const clientId = client.client_id;
  const login = 'alice@police.example';

  // `otherwise` proves the token has only the one defect.
  const cases = {
    async foreign_key(token, nonce, err) {
      assert.equal(err.code, 'ERR_JWKS_NO_MATCHING_KEY');
      const header = decodeProtectedHeader(token);
      const set = await jwks(police);
      assert.equal(header.alg, 'RS256');
      assert.ok(!set.keys.some((k) => k.kid === header.kid), 'kid not in the JWKS');
      for (const jwk of set.keys) {
        await assert.rejects(compactVerify(token, await importJWK(jwk, 'RS256')), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
      }
      const claims = decodeJwt(token);
      assert.equal(claims.iss, police.issuer);
      assert.equal(claims.aud, clientId);
      assert.equal(claims.nonce, nonce);
    },
    async wrong_audience(token, nonce, err) {
      assert.equal(err.code, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
      assert.equal(err.claim, 'aud');
      await otherwise(token, { audience: 'another-client' }, nonce);
    },
    async expired(token, nonce, err) {
      assert.equal(err.code, 'ERR_JWT_EXPIRED');
      const { exp, iat } = decodeJwt(token);
      assert.ok(exp < Date.now() / 1000 - 3500 && iat < exp);
      await otherwise(token, { currentDate: new Date((exp - 60) * 1000) }, nonce);
    },
    async wrong_nonce(token, nonce, err) {
      assert.equal(err.code, 'NONCE_MISMATCH');
      assert.notEqual(decodeJwt(token).nonce, nonce);
    },
    async wrong_issuer(token, nonce, err) {
      assert.equal(err.code, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
      assert.equal(err.claim, 'iss');
      await otherwise(token, { issuer: 'https://issuer.invalid' }, nonce);
    },
  };

  // Verifies with the real JWKS and the one check relaxed; the kid must be
  // the provider's current signing key.
  async function otherwise(token, relaxed, nonce) {
    const set = await jwks(police);
    assert.equal(decodeProtectedHeader(token).kid, set.keys[0].kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(set), {
      issuer: police.issuer, audience: clientId, algorithms: ['RS256'], ...relaxed,
    });
    assert.equal(payload.nonce, nonce);
  }

  for (const [kind, check] of Object.entries(cases)) {
    await test(`fault ${kind}: rejected for that reason only, then the next flow is clean`, async () => {
      assert.deepEqual((await police.control('fault', { kind })).body, { kind });
      const bad = await flow(police, client, login);
      const err = await verifyIdToken(police, bad.idToken, { clientId, nonce: bad.params.nonce }).then(
        () => assert.fail('tampered id_token verified'),
        (e) => e,
      );
      await check(bad.idToken, bad.params.nonce, err);
      const good = await flow(police, client, login, bad.jar);
      await verifyIdToken(police, good.idToken, { clientId, nonce: good.params.nonce });
    });
  }

  await test('fault none clears a pending fault', async () => {
    await police.control('fault', { kind: 'expired' });
    await police.control('fault', { kind: 'none' });
    const f = await flow(police, client, login);
    await verifyIdToken(police, f.idToken, { clientId, nonce: f.params.nonce });
  });
}
