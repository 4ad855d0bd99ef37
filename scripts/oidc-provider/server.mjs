// A real OpenID provider for trying and testing sign-on on one machine: the certified node `oidc-provider`, with
// a sign-in page of our own in front of it (user name and password from a JSON file), consent taken as given for
// the clients listed (they are the company's own applications), and RP-initiated logout. Nothing here is a mock:
// tokens are signed with a key made at start (RS256, published at /jwks), discovery, PKCE, userinfo and
// end_session are the library's.
//
//   node scripts/oidc-provider/server.mjs --port 8800 \
//     --accounts scripts/oidc-provider/demo-accounts.json --clients scripts/oidc-provider/demo-clients.json
//
// The accounts file is read again at every sign-in and token, so editing a person's groups (or removing the
// person: a leaver) takes effect at their next sign-in, as in a real directory.

import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { interactionPolicy } from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8800' },
    issuer: { type: 'string' },
    accounts: { type: 'string', default: new URL('demo-accounts.json', import.meta.url).pathname },
    clients: { type: 'string', default: new URL('demo-clients.json', import.meta.url).pathname },
    kid: { type: 'string', default: 'planner-demo' },
  },
});
const issuer = args.issuer || `http://${args.host}:${args.port}`;
const SCOPES = ['openid', 'email', 'profile', 'groups'];

function accounts() {
  return JSON.parse(readFileSync(args.accounts, 'utf8'));
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function samePassword(given, expected) {
  const a = Buffer.from(String(given));
  const b = Buffer.from(String(expected));
  return a.length === b.length && timingSafeEqual(a, b);
}

async function findAccount(ctx, id) {
  const person = accounts()[id];
  if (!person) return undefined; // gone from the directory: no token, no userinfo
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        email: person.email,
        email_verified: true,
        name: person.name,
        preferred_username: id,
        groups: person.groups || [],
      };
    },
  };
}

// The signing key lives as long as the process: a restart signs with a new one, as a key rotation would.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: args.kid, alg: 'RS256', use: 'sig' };

// A session whose person left the directory asks for a sign-in again (which they cannot pass), instead of
// carrying on without an account.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'account_gone',
  'the account is no longer in the directory',
  (ctx) => (ctx.oidc.session.accountId && !ctx.oidc.account
    ? interactionPolicy.Check.REQUEST_PROMPT
    : interactionPolicy.Check.NO_NEED_TO_PROMPT),
));

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

const provider = new Provider(issuer, {
  clients: JSON.parse(readFileSync(args.clients, 'utf8')),
  findAccount,
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: SCOPES,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out', `${form}<p>Sign out of the identity provider?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out', '<p>You are signed out of the identity provider.</p>');
      },
    },
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // The listed clients are the company's own applications: consent is given by the company, not asked of
  // each person (oidc-provider's "skip consent" recipe).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPES.join(' '));
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<p>${escape(out.error)}: ${escape(out.error_description || '')}</p>`);
  },
});

provider.on('server_error', (ctx, error) => console.error('server_error', ctx.path, error));

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 10_000) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

function loginPage(uid, clientName, error = '', login = '') {
  return page('Sign in', `<p>to ${escape(clientName)}</p>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>User name <input name="login" autocomplete="username" value="${escape(login)}" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const client = await provider.Client.find(details.params.client_id);
  const clientName = client?.clientName || details.params.client_id;
  if (details.prompt.name !== 'login') {
    // Consent is never asked (loadExistingGrant); anything else is not part of this provider.
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    return;
  }
  if (req.method === 'GET' && !action) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginPage(uid, clientName));
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readBody(req);
    const login = form.get('login') || '';
    const person = accounts()[login];
    if (!person || !samePassword(form.get('password') || '', person.password)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginPage(uid, clientName, 'Unknown user name or wrong password.', login));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(405).end();
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login))?$/.exec(new URL(req.url, issuer).pathname);
  if (!match) {
    handle(req, res);
    return;
  }
  interaction(req, res, match[1], match[2]).catch((error) => {
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Sign-in failed: ${error.message}\n`);
  });
});

server.listen(Number(args.port), args.host, () => {
  console.log(`OpenID provider ${issuer} (accounts ${args.accounts}, clients ${args.clients})`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
