//! Single sign-on with OpenID Connect: the authorization code flow with PKCE, through the
//! `openidconnect` crate, which checks the ID token's signature (the provider's published keys),
//! issuer, audience, expiry and nonce.
//!
//! This module talks to the identity provider and nothing else; who the verified account is in
//! Trellis is decided in `db::identities`, and the pages are in `web::sso`. The only thing held
//! in memory is the provider's discovery document (a cache every app server fetches for
//! itself); the sign-in in flight lives in PostgreSQL.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use tokio::sync::RwLock;

use crate::config::Config;

/// How long a fetched discovery document (endpoints and signing keys) is trusted.
const METADATA_TTL: Duration = Duration::from_secs(600);

/// The client built from the discovery document: authorization endpoint always there, token and
/// userinfo endpoints as the provider publishes them.
type ProviderClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The path the identity provider sends the browser back to.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";

/// Why a single sign-on did not work, in words a person can act on. The technical cause is
/// logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error(
        "The identity provider cannot be reached right now. Try again in a minute, or tell IT."
    )]
    Unreachable(String),
    #[error("The identity provider did not confirm who you are. Start the sign-in again.")]
    Rejected(String),
    #[error("The identity provider did not tell Trellis your email address, so Trellis cannot find your account. Ask IT to release the email claim to Trellis.")]
    NoEmail,
}

/// Who the identity provider says signed in, after every check.
#[derive(Debug, Clone)]
pub struct VerifiedAccount {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    /// `Some(false)` when the provider says the email is not verified: then it is not trusted
    /// to find an account.
    pub email_verified: Option<bool>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
}

/// A sign-in about to be sent to the provider: where to send the browser, and the secrets to
/// keep until it comes back.
pub struct Begin {
    pub authorize_url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// The configured identity provider.
pub struct Sso {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    /// What the sign-in button calls the provider.
    pub provider_name: String,
    /// Create people on their first sign-in when nobody has their email.
    pub create_users: bool,
    http: reqwest::Client,
    metadata: RwLock<Option<(Instant, CoreProviderMetadata)>>,
}

impl Sso {
    /// The provider from the settings, or `None` when single sign-on is not configured.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Arc<Sso>>> {
        let (Some(issuer), Some(id)) = (&config.oidc_issuer_url, &config.oidc_client_id) else {
            return Ok(None);
        };
        let secret = config.oidc_client_secret.clone().ok_or_else(|| {
            anyhow::anyhow!("TRELLIS_OIDC_CLIENT_SECRET is required with TRELLIS_OIDC_ISSUER_URL")
        })?;
        let redirect = format!("{}{CALLBACK_PATH}", config.public_url.trim_end_matches('/'));
        let http = reqwest::Client::builder()
            // Following redirects from the provider's endpoints would let a hostile document
            // make the server fetch other addresses.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Some(Arc::new(Sso {
            issuer: IssuerUrl::new(issuer.trim_end_matches('/').to_string())
                .map_err(|e| anyhow::anyhow!("TRELLIS_OIDC_ISSUER_URL is not a URL: {e}"))?,
            client_id: ClientId::new(id.clone()),
            client_secret: ClientSecret::new(secret.expose().to_string()),
            redirect: RedirectUrl::new(redirect)
                .map_err(|e| anyhow::anyhow!("TRELLIS_PUBLIC_URL is not a URL: {e}"))?,
            provider_name: config.oidc_provider_name.clone(),
            create_users: config.oidc_create_users,
            http,
            metadata: RwLock::new(None),
        })))
    }

    /// The issuer, as recorded with each linked account.
    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The provider's discovery document, from the cache when fresh (or `refresh` is false
    /// and one is cached).
    async fn metadata(&self, refresh: bool) -> Result<CoreProviderMetadata, SsoError> {
        if !refresh {
            if let Some((at, m)) = &*self.metadata.read().await {
                if at.elapsed() < METADATA_TTL {
                    return Ok(m.clone());
                }
            }
        }
        let fetched = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| SsoError::Unreachable(chain(&e)))?;
        *self.metadata.write().await = Some((Instant::now(), fetched.clone()));
        Ok(fetched)
    }

    fn client(&self, metadata: CoreProviderMetadata) -> ProviderClient {
        CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Start a sign-in: a fresh state, nonce and PKCE verifier, and the provider's URL.
    pub async fn begin(&self) -> Result<Begin, SsoError> {
        let client = self.client(self.metadata(false).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok(Begin {
            authorize_url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finish a sign-in: trade the code (with the PKCE verifier) for tokens, verify the ID
    /// token, and read the email and name from it or, when the provider keeps them there, from
    /// the userinfo endpoint.
    pub async fn finish(
        &self,
        code: String,
        pkce_verifier: String,
        nonce: String,
    ) -> Result<VerifiedAccount, SsoError> {
        let client = self.client(self.metadata(false).await?);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| SsoError::Unreachable(chain(&e)))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| SsoError::Rejected(chain(&e)))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| SsoError::Rejected("the token response has no id_token".into()))?;
        let nonce = Nonce::new(nonce);

        // The provider may have rotated its signing keys since the document was cached: on a
        // failed check, fetch it again once and check again.
        let first = id_token
            .claims(&client.id_token_verifier(), &nonce)
            .cloned();
        let (client, claims) = match first {
            Ok(claims) => (client, claims),
            Err(first) => {
                tracing::info!(error = %first, "ID token check failed; fetching the provider's keys again");
                let client = self.client(self.metadata(true).await?);
                let claims = id_token
                    .claims(&client.id_token_verifier(), &nonce)
                    .map_err(|e| SsoError::Rejected(chain(&e)))?
                    .clone();
                (client, claims)
            }
        };
        check_access_token_hash(&client, id_token, &claims, tokens.access_token())?;

        let mut account = from_claims(self.issuer(), &claims);
        if account.email.is_none() {
            let request = client
                .user_info(
                    tokens.access_token().clone(),
                    Some(claims.subject().clone()),
                )
                .map_err(|_| SsoError::NoEmail)?;
            let info: CoreUserInfoClaims = request
                .request_async(&self.http)
                .await
                .map_err(|e| SsoError::Rejected(chain(&e)))?;
            fill(&mut account, standard!(info));
        }
        if account.email.is_none() {
            return Err(SsoError::NoEmail);
        }
        Ok(account)
    }
}

/// The ID token names a hash of the access token it came with (`at_hash`): a token swapped in
/// from another person's sign-in does not match it.
fn check_access_token_hash(
    client: &ProviderClient,
    id_token: &openidconnect::core::CoreIdToken,
    claims: &CoreIdTokenClaims,
    access_token: &openidconnect::AccessToken,
) -> Result<(), SsoError> {
    let Some(expected) = claims.access_token_hash() else {
        return Ok(());
    };
    let verifier = client.id_token_verifier();
    let alg = id_token
        .signing_alg()
        .map_err(|e| SsoError::Rejected(chain(&e)))?;
    let key = id_token
        .signing_key(&verifier)
        .map_err(|e| SsoError::Rejected(chain(&e)))?;
    let actual = AccessTokenHash::from_token(access_token, alg, key)
        .map_err(|e| SsoError::Rejected(chain(&e)))?;
    if actual != *expected {
        return Err(SsoError::Rejected(
            "the access token does not match the ID token's at_hash".into(),
        ));
    }
    Ok(())
}

fn from_claims(issuer: &str, claims: &CoreIdTokenClaims) -> VerifiedAccount {
    let mut account = VerifiedAccount {
        issuer: issuer.to_string(),
        subject: claims.subject().as_str().to_string(),
        email: None,
        email_verified: None,
        name: None,
        given_name: None,
        family_name: None,
    };
    fill(&mut account, standard!(claims));
    account
}

/// The email and names in a set of claims (the ID token's or userinfo's), trimmed.
struct Standard {
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
}

/// ID token claims and userinfo claims have the same accessors but no common trait.
macro_rules! standard {
    ($claims:expr) => {{
        let c = &$claims;
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Standard {
            email: c.email().and_then(|e| text(e.as_str())),
            email_verified: c.email_verified(),
            name: c.name().and_then(|n| n.get(None)).and_then(|n| text(n)),
            given_name: c
                .given_name()
                .and_then(|n| n.get(None))
                .and_then(|n| text(n)),
            family_name: c
                .family_name()
                .and_then(|n| n.get(None))
                .and_then(|n| text(n)),
        }
    }};
}
use standard;

/// Take the email and names the provider gave, keeping what is already known.
fn fill(account: &mut VerifiedAccount, found: Standard) {
    if account.email.is_none() {
        account.email = found.email;
        account.email_verified = found.email_verified;
    }
    account.name = account.name.take().or(found.name);
    account.given_name = account.given_name.take().or(found.given_name);
    account.family_name = account.family_name.take().or(found.family_name);
}

/// An error with its causes, for the log.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
