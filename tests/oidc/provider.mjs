// A real OpenID Connect provider for Trellis's integration tests: panva/oidc-provider (the
// certified Node.js implementation) on loopback, with a plain sign-in form of its own.
//
// Environment:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET  the one registered client (Trellis)
//   OIDC_REDIRECT_URI                   Trellis's callback, registered exactly
//   OIDC_ACCOUNTS                       JSON array of {sub, email, password, email_verified,
//                                       name, given_name, family_name}
//
// Prints one line, `listening <issuer>`, once it accepts connections, then serves until killed
// (or until its standard input closes, so a crashed test leaves no provider behind).

import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '[]');

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['trellis-test-provider-cookie-key'] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts.find((a) => a.sub === sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const { password, ...claims } = account;
        return claims;
      },
    };
  },
});
provider.proxy = false;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(res, uid, status, message) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><title>Test identity provider</title>
<h1>Test identity provider</h1>
${message ? `<p class="error">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <label>Email <input name="email" type="email"></label>
  <label>Password <input name="password" type="password"></label>
  <button type="submit">Sign in</button>
</form>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

// The provider's own sign-in and consent steps ("interactions").
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const { prompt, params, session, grantId } = details;

  if (prompt.name === 'login' && req.method === 'GET') {
    return loginPage(res, uid, 200);
  }
  if (prompt.name === 'login' && action === 'login' && req.method === 'POST') {
    const form = await readForm(req);
    const account = accounts.find((a) => a.email === form.get('email') && a.password === form.get('password'));
    if (!account) return loginPage(res, uid, 401, 'Wrong email or password.');
    return provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }
  if (prompt.name === 'consent') {
    // Trellis is a first-party application here: the administrator has approved it for
    // everyone, so consent is given without asking (as company identity providers do).
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const result = { consent: { grantId: await grant.save() } };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }
  res.statusCode = 400;
  res.end(`unexpected prompt ${prompt.name}`);
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  const match = /^\/interaction\/([^/?]+)(?:\/(login))?(?:\?.*)?$/.exec(req.url);
  if (!match) return callback(req, res);
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (err) {
    res.statusCode = 400;
    res.end(`interaction failed: ${err.message}`);
  }
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
console.log(`listening ${issuer}`);
