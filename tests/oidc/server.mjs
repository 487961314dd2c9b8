// The listening server: one node:http server on 127.0.0.1 whose requests go
// to the control API, the login pages, or the current oidc-provider instance
// (which a key rotation replaces; see oidc.mjs).
import { createServer } from 'node:http';
import { handleControl } from './control.mjs';
import { sendJson } from './http.mjs';
import { handleInteraction } from './interaction.mjs';
import { newSigningKey } from './keys.mjs';
import { buildProvider } from './oidc.mjs';
import { createState } from './state.mjs';

export async function start({ name, keepOnStdinEof }) {
  const state = createState({ name });
  state.keys.push(await newSigningKey());

  let handle; // set once the issuer (hence the port) is known
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error(`[${name}] ${req.method} ${req.url} failed`, err);
      if (!res.headersSent) sendJson(res, 500, { error: err.message });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const cookiePrefix = `op${port}`;
  const rebuild = () => {
    state.provider = buildProvider(state, issuer, cookiePrefix);
    state.callback = state.provider.callback();
  };
  rebuild();

  handle = async (req, res) => {
    const { pathname } = new URL(req.url, issuer);
    if (await handleControl(state, req, res, pathname, { issuer, rebuild })) return;
    if (await handleInteraction(state, req, res, pathname)) return;
    await state.callback(req, res);
  };

  const stop = (why) => {
    console.error(`[${name}] stopping: ${why}`);
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (!keepOnStdinEof) {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
  }

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
  console.error(`[${name}] listening at ${issuer}`);
}
