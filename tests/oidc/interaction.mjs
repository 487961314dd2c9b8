// The login ("interaction") pages. devInteractions is off; this is the
// provider's whole user interface for signing in. Consent never comes here:
// loadExistingGrant in oidc.mjs grants the scopes itself.
import { errorPage, loginPage } from './pages.mjs';
import { readForm, sendHtml } from './http.mjs';
import { accountByLogin } from './state.mjs';

// Handles GET /interaction/:uid and POST /interaction/:uid/login.
// Returns false when the path is not an interaction path.
export async function handleInteraction(state, req, res, pathname) {
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(pathname);
  if (!match) return false;
  const [, uid, login] = match;
  const { provider, name } = state;

  let details;
  try {
    details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction does not match this browser session');
  } catch (err) {
    // Missing or expired interaction cookie: say so instead of a bare 500.
    sendHtml(res, 400, errorPage({ name, title: 'Sign-in session not found', details: { error: err.message } }));
    return true;
  }
  const action = `/interaction/${uid}/login`;

  if (!login && req.method === 'GET') {
    if (details.prompt.name !== 'login') {
      // Only reachable if a prompt other than login were configured.
      sendHtml(res, 400, errorPage({ name, title: 'Unsupported prompt', details: { prompt: details.prompt.name } }));
      return true;
    }
    sendHtml(res, 200, loginPage({ name, action }));
    return true;
  }
  if (!login || req.method !== 'POST') {
    sendHtml(res, 405, errorPage({ name, title: 'Method not allowed', details: { method: req.method } }));
    return true;
  }

  const typed = (await readForm(req)).get('login') ?? '';
  const account = accountByLogin(state, typed);
  if (!account || account.disabled) {
    // Different words for the two cases so a test can tell which it hit.
    const error = account ? 'This account is disabled.' : 'No account matches that email address.';
    console.error(`[${name}] sign-in refused for ${JSON.stringify(typed)}: ${error}`);
    sendHtml(res, 200, loginPage({ name, action, login: typed, error }));
    return true;
  }
  await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  return true;
}
