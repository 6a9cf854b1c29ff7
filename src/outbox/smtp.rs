//! The connection to the mail relay, kept open between messages and written without delay.
//!
//! lettre's own transport writes a message and its closing `.` in two writes on a socket with
//! Nagle's algorithm on: the `.` waits for the relay's delayed ACK (about 40 ms) before it
//! leaves. A server killed in that pause still delivers the message (the kernel sends what was
//! written), yet never marks it sent, so it goes out twice. Here the socket has `TCP_NODELAY`,
//! so once `send` returns nothing of the message is left waiting, and the gap between the relay
//! accepting a message and the outbox marking it sent is one local round trip. It also keeps
//! one connection for the worker (no connect, EHLO and QUIT per message).
//!
//! `TRELLIS_SMTP_URL` reads as lettre reads it: `smtp://host:port` (plain),
//! `smtp://host:port?tls=required` or `?tls=opportunistic` (STARTTLS), `smtps://host:port`
//! (TLS from the start), `user:password@` for AUTH, and a path for the EHLO name.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::{anyhow, bail, Context as _};
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

/// How long connecting, and each SMTP exchange, may take.
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Security {
    Plain,
    StartTlsRequired,
    StartTlsOpportunistic,
    Wrapper,
}

/// Where and how to reach the relay, and the one open connection.
pub struct Relay {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    open: Mutex<Option<AsyncSmtpConnection>>,
}

impl Relay {
    /// Read a `TRELLIS_SMTP_URL`.
    pub fn from_url(text: &str) -> anyhow::Result<Relay> {
        let url = url::Url::parse(text).context("TRELLIS_SMTP_URL is not a URL")?;
        let host = url
            .host_str()
            .ok_or_else(|| anyhow!("TRELLIS_SMTP_URL has no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTlsRequired, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTlsOpportunistic, 587),
            ("smtps", _) => (Security::Wrapper, 465),
            (scheme, tls) => bail!(
                "TRELLIS_SMTP_URL: unknown scheme {scheme:?} or tls {tls:?} (smtp, smtps; tls=required or opportunistic)"
            ),
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let path = url.path().trim_matches('/');
        let hello = if path.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(path.to_string())
        };
        Ok(Relay {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            credentials,
            hello,
            open: Mutex::new(None),
        })
    }

    /// Send one message; returns once the relay has accepted it.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> anyhow::Result<()> {
        let mut open = self.open.lock().await;
        let reusable = match open.as_mut() {
            Some(conn) => !conn.has_broken() && conn.test_connected().await,
            None => false,
        };
        if !reusable {
            if let Some(mut old) = open.take() {
                old.abort().await;
            }
            *open = Some(tokio::time::timeout(TIMEOUT, self.connect()).await??);
        }
        let conn = open.as_mut().expect("a connection was just opened");
        let outcome = tokio::time::timeout(TIMEOUT, conn.send(envelope, message)).await;
        match outcome {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(err)) => {
                // A refused message leaves the connection usable; a broken one is replaced.
                if conn.has_broken() {
                    *open = None;
                }
                Err(err.into())
            }
            Err(_) => {
                *open = None;
                bail!("the mail server did not answer within {TIMEOUT:?}")
            }
        }
    }

    async fn connect(&self) -> anyhow::Result<AsyncSmtpConnection> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .with_context(|| format!("cannot connect to {}:{}", self.host, self.port))?;
        tcp.set_nodelay(true)?;
        let stream: Box<dyn AsyncTokioStream> = if self.security == Security::Wrapper {
            Box::new(Tls::handshake(&self.host, tcp).await?)
        } else {
            Box::new(tcp)
        };
        let mut conn = AsyncSmtpConnection::connect_with_transport(stream, &self.hello).await?;
        let parameters = || TlsParameters::new(self.host.clone());
        match self.security {
            Security::StartTlsRequired => conn.starttls(parameters()?, &self.hello).await?,
            Security::StartTlsOpportunistic if conn.can_starttls() => {
                conn.starttls(parameters()?, &self.hello).await?
            }
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await?;
        }
        Ok(conn)
    }
}

/// TLS from the first byte (`smtps`), over a socket without delay.
#[derive(Debug)]
struct Tls(tokio_rustls::client::TlsStream<TcpStream>);

impl Tls {
    async fn handshake(host: &str, tcp: TcpStream) -> anyhow::Result<Tls> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let config = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from(host.to_string())?;
        let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await?;
        Ok(Tls(stream))
    }
}

impl AsyncRead for Tls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for Tls {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smtp_url_reads_as_lettre_reads_it() {
        let r = Relay::from_url("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((r.port, r.security), (2525, Security::Plain));
        let r = Relay::from_url("smtp://u%40x:p%2Fw@mail.example.com?tls=required").unwrap();
        assert_eq!((r.port, r.security), (587, Security::StartTlsRequired));
        assert!(r.credentials.is_some());
        let r = Relay::from_url("smtps://mail.example.com/trellis.example.com").unwrap();
        assert_eq!((r.port, r.security), (465, Security::Wrapper));
        assert_eq!(r.hello, ClientId::Domain("trellis.example.com".into()));
        let err = Relay::from_url("http://mail.example.com")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("unknown scheme"), "{err}");
    }
}
