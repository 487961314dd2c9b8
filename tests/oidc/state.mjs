// Everything the test OpenID Provider remembers, held OUTSIDE the
// oidc-provider instance.
//
// oidc-provider reads its signing keys only when it is constructed, so a key
// rotation builds a new Provider on the same listening server (see oidc.mjs).
// Keeping clients, accounts, sessions, grants and interactions here means the
// new instance sees everything the old one knew: a user signed in before a
// rotation stays signed in after it.
import { randomBytes } from 'node:crypto';

export function createState({ name }) {
  return {
    name,
    // Adapter storage for every oidc-provider model except Client:
    // `${model}:${id}` -> { payload, expiresAt (ms) }.
    store: new Map(),
    // grantId -> Set of store keys issued under it (for revokeByGrantId).
    grants: new Map(),
    // Session uid -> session id (for findByUid).
    sessionUids: new Map(),
    clients: new Map(), // client_id -> client metadata (snake_case, as registered)
    accounts: new Map(), // sub -> { sub, email, email_verified, name, tid?, oid?, disabled }
    keys: [], // private JWKs, newest (the signing one) first
    foreignKey: null, // made on first use by the foreign_key fault
    fault: 'none',
    lastLogout: null,
    // Cookie signing keys must survive a rebuild, or every cookie set before
    // a rotation would stop verifying.
    cookieKeys: [randomBytes(32).toString('base64url')],
    provider: null, // the current oidc-provider instance
  };
}

// The oidc-provider adapter interface over `state`. Clients come from the
// control API's map, so a client registered after start (once the app under
// test knows its port) is found on its next request.
export function adapterFor(state) {
  return class Adapter {
    constructor(model) {
      this.model = model;
    }

    key(id) {
      return `${this.model}:${id}`;
    }

    async upsert(id, payload, expiresIn) {
      if (this.model === 'Client') throw new Error('clients are added through /__control/clients');
      const key = this.key(id);
      const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
      state.store.set(key, { payload, expiresAt });
      if (this.model === 'Session') state.sessionUids.set(payload.uid, id);
      if (payload.grantId) {
        if (!state.grants.has(payload.grantId)) state.grants.set(payload.grantId, new Set());
        state.grants.get(payload.grantId).add(key);
      }
    }

    async find(id) {
      if (this.model === 'Client') {
        const client = state.clients.get(id);
        return client && structuredClone(client);
      }
      const entry = state.store.get(this.key(id));
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        state.store.delete(this.key(id));
        return undefined;
      }
      return entry.payload;
    }

    async findByUid(uid) {
      const id = state.sessionUids.get(uid);
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode() {
      return undefined; // no device flow here
    }

    async consume(id) {
      const entry = state.store.get(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id) {
      const entry = state.store.get(this.key(id));
      state.store.delete(this.key(id));
      if (entry?.payload.uid && state.sessionUids.get(entry.payload.uid) === id) {
        state.sessionUids.delete(entry.payload.uid);
      }
    }

    async revokeByGrantId(grantId) {
      for (const key of state.grants.get(grantId) ?? []) state.store.delete(key);
      state.grants.delete(grantId);
    }
  };
}

// Ends every provider-side session of `sub` (used by the control API's
// back-channel logout, so the user must sign in again at the provider).
export function endSessionsOf(state, sub) {
  let ended = 0;
  for (const [key, { payload }] of state.store) {
    if (key.startsWith('Session:') && payload.accountId === sub) {
      state.store.delete(key);
      state.sessionUids.delete(payload.uid);
      ended += 1;
    }
  }
  return ended;
}

// The login form accepts an account's email (any case) or its sub.
export function accountByLogin(state, login) {
  const wanted = String(login ?? '').trim();
  if (!wanted) return undefined;
  if (state.accounts.has(wanted)) return state.accounts.get(wanted);
  const lower = wanted.toLowerCase();
  return [...state.accounts.values()].find((a) => a.email?.toLowerCase() === lower);
}

// oidc-provider's findAccount. A disabled account is "not found", so an
// existing session of an account disabled since sign-in gets no more tokens.
export function findAccount(state, sub) {
  const account = state.accounts.get(sub);
  if (!account || account.disabled) return undefined;
  return {
    accountId: sub,
    async claims() {
      const claims = { sub, email: account.email, name: account.name };
      if (account.email_verified !== null) claims.email_verified = account.email_verified;
      // Entra-like claims, each only when the account has it.
      for (const extra of ['tid', 'oid', 'preferred_username', 'xms_edov']) {
        if (account[extra] !== undefined) claims[extra] = account[extra];
      }
      return claims;
    },
  };
}
