// A real OpenID Provider (oidc-provider, certified) for the project's tests.
//
//   node tests/oidc/provider.mjs        (env OIDC_NAME: the login page heading)
//
// Listens on 127.0.0.1 on a free port and, once ready, prints exactly one line
// to stdout: {"issuer":"http://127.0.0.1:<port>"}. Everything else goes to
// stderr. Exits when stdin closes (so a test's dropped child never lingers)
// and on SIGTERM/SIGINT. See README.md for the control API.

// oidc-provider prints its notices with console.info, i.e. to stdout, which
// is reserved for the issuer line. Send all console output to stderr before
// it is loaded (hence the dynamic import below).
console.log = console.error;
console.info = console.error;

const { start } = await import('./server.mjs');
await start({
  name: process.env.OIDC_NAME || 'Test OpenID Provider',
  // For running it by hand in a shell where stdin is /dev/null.
  keepOnStdinEof: process.env.OIDC_KEEP_ON_STDIN_EOF === '1',
});
