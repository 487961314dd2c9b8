// Signing keys for the test OpenID Provider.
//
// Keys are private RSA JWKs kept outside the oidc-provider instance, newest
// first: oidc-provider signs with the first key that fits RS256 and serves the
// public halves of all of them at jwks_uri, so "newest first" is exactly the
// order a relying party sees after a rotation.
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK } from 'jose';

export const ALG = 'RS256';

// A fresh RSA key with a kid of its own. `prefix` lets the foreign key's kid
// say what it is when a test prints a token header.
export async function newSigningKey(prefix = 'key') {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `${prefix}-${randomBytes(6).toString('hex')}`, alg: ALG, use: 'sig' };
}

// jose wants a KeyLike; importing is cheap but cache it per kid anyway, since
// every fault and logout token signs with one.
const imported = new Map();
export async function privateKeyFor(jwk) {
  if (!imported.has(jwk.kid)) imported.set(jwk.kid, await importJWK(jwk, ALG));
  return imported.get(jwk.kid);
}

