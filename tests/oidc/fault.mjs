// Faults injected into the id_token of the next successful token response,
// so the relying party's id-token validation can be tested against a real
// provider. Each tampered token is otherwise valid: same header (alg, kid of
// the real signing key), re-signed with the provider's own key, with exactly
// one defect. The exception is foreign_key, whose whole point is a signature
// by a key the JWKS does not have (its kid is not in the JWKS either).
import { randomBytes } from 'node:crypto';
import { CompactSign, decodeJwt, decodeProtectedHeader } from 'jose';
import { newSigningKey, privateKeyFor } from './keys.mjs';

export const FAULT_KINDS = ['none', 'foreign_key', 'wrong_audience', 'expired', 'wrong_nonce', 'wrong_issuer'];

export async function tamper(state, kind, idToken) {
  const header = decodeProtectedHeader(idToken);
  const claims = decodeJwt(idToken);
  let jwk = state.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`id_token signed with unknown kid ${header.kid}`);

  switch (kind) {
    case 'foreign_key':
      state.foreignKey ??= await newSigningKey('foreign');
      jwk = state.foreignKey;
      header.kid = jwk.kid;
      break;
    case 'wrong_audience':
      claims.aud = 'another-client';
      if (claims.azp !== undefined) claims.azp = 'another-client';
      break;
    case 'expired': {
      // Move the token's whole life back so exp is an hour ago (iat and
      // auth_time along with it, so time is the only thing wrong).
      const shift = claims.exp - (Math.floor(Date.now() / 1000) - 3600);
      claims.exp -= shift;
      claims.iat -= shift;
      if (claims.auth_time !== undefined) claims.auth_time -= shift;
      break;
    }
    case 'wrong_nonce':
      claims.nonce = `not-the-nonce-${randomBytes(8).toString('hex')}`;
      break;
    case 'wrong_issuer':
      claims.iss = 'https://issuer.invalid';
      break;
    default:
      throw new Error(`unknown fault ${kind}`);
  }

  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header)
    .sign(await privateKeyFor(jwk));
}

// Koa middleware for the provider: rewrites the id_token of the next 200
// answer of the token endpoint, then the fault resets to none.
export function faultMiddleware(state) {
  return async function injectFault(ctx, next) {
    await next();
    if (state.fault === 'none' || ctx.method !== 'POST' || ctx.path !== '/token') return;
    if (ctx.status !== 200 || typeof ctx.body?.id_token !== 'string') return;
    const kind = state.fault;
    state.fault = 'none';
    ctx.body = { ...ctx.body, id_token: await tamper(state, kind, ctx.body.id_token) };
    console.error(`[${state.name}] fault ${kind} applied to the id_token`);
  };
}
