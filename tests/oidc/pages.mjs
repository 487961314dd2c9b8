// The test provider's own HTML pages: login form, sign-out, errors.
//
// Plain, self-contained and accessible (lang, title, one h1, labelled input,
// alert for errors, no external fonts or scripts from elsewhere) because the
// project's browser tests run axe on whatever page they land on, and the
// default oidc-provider pages pull fonts from the internet.

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title, heading, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; color: #111; background: #fff; max-width: 30rem; margin: 2rem auto; padding: 0 1rem; }
label, input, button { display: block; font-size: 1rem; }
input { margin: .25rem 0 1rem; padding: .4rem; width: 100%; box-sizing: border-box; }
button { padding: .5rem 1rem; }
.error { color: #a00000; font-weight: bold; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(heading)}</h1>
${body}
</main>
</body>
</html>`;
}

export function loginPage({ name, action, login = '', error }) {
  const alert = error
    ? `<p class="error" id="login-error" role="alert">${escapeHtml(error)}</p>`
    : '';
  const described = error ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return layout(`Sign in – ${name}`, name, `<p>Sign in to continue.</p>
${alert}<form method="post" action="${escapeHtml(action)}">
<label for="login">Email address</label>
<input type="text" id="login" name="login" autocomplete="username" value="${escapeHtml(login)}"${described}>
<button type="submit">Sign in</button>
</form>`);
}

// oidc-provider's rpInitiatedLogout.logoutSource. `form` is its own form
// (id "op.logoutForm", hidden xsrf). Adding logout=yes ends the whole provider
// session (and sends back-channel logout to every client in it); the script
// submits it at once, so a browser never has to click. Without JavaScript the
// button does the same.
export function logoutPage({ name, form }) {
  const withYes = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  return layout(`Signing out – ${name}`, name, `<p>Signing you out…</p>
${withYes}
<button type="submit" form="op.logoutForm">Sign out</button>
<script>document.getElementById('op.logoutForm').submit();</script>`);
}

export function signedOutPage({ name }) {
  return layout(`Signed out – ${name}`, name, '<p>You are signed out.</p>');
}

export function errorPage({ name, title, details }) {
  const rows = Object.entries(details)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n');
  return layout(`${title} – ${name}`, name, `<p class="error" role="alert">${escapeHtml(title)}</p>
<dl>
${rows}
</dl>`);
}
