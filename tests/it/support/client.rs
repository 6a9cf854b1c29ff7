//! A small HTTP client for tests: keeps cookies, does not follow redirects, and fills in the
//! CSRF token like a browser would from the page's form.

use reqwest::redirect::Policy;
use reqwest::Response;

/// A browser-like client of one test app.
pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    pub fn new(base: String) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        Client { http, base }
    }

    /// A client whose connections leave from `local` (e.g. `127.0.0.2`).
    pub fn from_address(base: String, local: std::net::IpAddr) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .local_address(local)
            .build()
            .unwrap();
        Client { http, base }
    }

    /// The same browser (cookie jar) talking to another app server, e.g. a second server
    /// with other settings on the same database.
    pub fn on(&self, base: String) -> Client {
        Client {
            http: self.http.clone(),
            base,
        }
    }

    /// GET a path, asking for HTML.
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{}", self.base, path))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
    }

    /// GET a path as a JSON client.
    pub async fn get_json(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{}", self.base, path))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap()
    }

    /// Send JSON with `method`, carrying the session's CSRF token in the header.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Response {
        let token = self.csrf_token_from("/").await;
        let mut request = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("accept", "application/json")
            .header("x-csrf-token", token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    /// POST a raw body (a CSV file, a multipart form) with the session's CSRF token in the
    /// header, asking for `accept`.
    pub async fn post_body(
        &self,
        path: &str,
        content_type: &str,
        accept: &str,
        body: Vec<u8>,
    ) -> Response {
        let token = self.csrf_token_from("/").await;
        self.http
            .post(format!("{}{}", self.base, path))
            .header("accept", accept)
            .header("content-type", content_type)
            .header("x-csrf-token", token)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// A request to `path` with this client's cookies and the session's CSRF token, to add
    /// headers of the test's own.
    pub async fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let token = self.csrf_token_from("/").await;
        self.http
            .request(method, format!("{}{}", self.base, path))
            .header("x-csrf-token", token)
    }

    /// The CSRF token from the first form on `path`.
    pub async fn csrf_token_from(&self, path: &str) -> String {
        let html = self.get(path).await.text().await.unwrap();
        csrf_in(&html).unwrap_or_else(|| panic!("no csrf_token field on {path}"))
    }

    /// POST a form as is (no token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}{}", self.base, path))
            .header("accept", "text/html")
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// POST a form with the token taken from the page at `form_page`.
    pub async fn submit(&self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token_from(form_page).await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// Sign in through the sign-in form.
    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

/// The value of the first `csrf_token` hidden field in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(r#"input[name="csrf_token"]"#).unwrap();
    doc.select(&selector)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_string)
}

/// The text of the first element matching `css` in a page.
pub fn text_of(html: &str, css: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).unwrap();
    doc.select(&selector)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
}
