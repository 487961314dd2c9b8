// Builds the oidc-provider instance from the state held outside it.
//
// Called at start and again on every key rotation: oidc-provider reads
// `jwks` only in its constructor and keeps the keystore private, so a new
// signing key needs a new instance. The HTTP server always dispatches to
// state.provider, and the adapter, cookie keys, clients and accounts all live
// in `state`, so sessions and grants carry over.
import Provider from 'oidc-provider';
import { faultMiddleware } from './fault.mjs';
import { errorPage, logoutPage, signedOutPage } from './pages.mjs';
import { adapterFor, findAccount } from './state.mjs';

export const SCOPE = 'openid email profile';

export function buildProvider(state, issuer, cookiePrefix) {
  const provider = new Provider(issuer, {
    adapter: adapterFor(state),
    findAccount: (ctx, sub) => findAccount(state, sub),
    jwks: { keys: state.keys },
    scopes: SCOPE.split(' '),
    // tid/oid ride on the openid scope so they appear whenever the account
    // has them (an account without them simply has no such claim).
    claims: {
      openid: ['sub', 'tid', 'oid', 'preferred_username', 'xms_edov'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // By default oidc-provider puts scope-requested claims only in userinfo
    // when an access token is issued too; the app reads them from the id_token.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true }, // oidc-provider 9 supports S256 only
    // Either works for every client (oidc-provider 9 does not hold a client
    // to the one it registered with).
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => html(ctx, logoutPage({ name: state.name, form })),
        postLogoutSuccessSource: (ctx) => html(ctx, signedOutPage({ name: state.name })),
      },
    },
    // Numbers instead of oidc-provider's default functions (which print a
    // notice on first use); a test run is short, so a day is plenty.
    ttl: {
      AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 3600, Session: 86400, Grant: 86400,
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // The test provider trusts every client: grant the scopes at once instead
    // of showing a consent page.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      const existing = grantId && await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
      const grant = new ctx.oidc.provider.Grant({
        accountId: ctx.oidc.account.accountId,
        clientId: ctx.oidc.client.clientId,
      });
      grant.addOIDCScope(SCOPE);
      await grant.save();
      return grant;
    },
    cookies: {
      // Browsers do not separate cookies by port, so two providers (and the
      // app) on 127.0.0.1 would overwrite each other's `_session`. A prefix
      // per instance keeps them apart. Over plain http oidc-provider leaves
      // the Secure flag off by itself (it follows ctx.secure).
      names: {
        session: `${cookiePrefix}_session`,
        interaction: `${cookiePrefix}_interaction`,
        resume: `${cookiePrefix}_interaction_resume`,
      },
      keys: state.cookieKeys,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage({ name: state.name, title: 'Sign-in error', details: out });
    },
    // oidc-provider refuses outgoing requests to loopback and private
    // addresses (SSRF protection, via an undici dispatcher it passes here).
    // The relying parties under test live on 127.0.0.1, so its own
    // back-channel logout calls must go out without that dispatcher.
    fetch: (url, { dispatcher, ...options }) => globalThis.fetch(url, options),
  });

  provider.use(faultMiddleware(state));

  provider.on('end_session.success', (ctx) => {
    state.lastLogout = {
      happened: true,
      count: (state.lastLogout?.count ?? 0) + 1,
      sub: ctx.oidc.session?.accountId ?? null,
      client_id: ctx.oidc.client?.clientId ?? null,
      at: new Date().toISOString(),
    };
  });
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error',
    'backchannel.error', 'interaction.error', 'userinfo.error', 'discovery.error', 'jwks.error']) {
    provider.on(event, (...args) => {
      const err = args.find((a) => a instanceof Error);
      const detail = err ? `${err.name}: ${err.message}${err.error_description ? ` (${err.error_description})` : ''}` : '';
      console.error(`[${state.name}] ${event} ${detail}`);
    });
  }
  return provider;
}

function html(ctx, body) {
  ctx.type = 'html';
  ctx.body = body;
}
