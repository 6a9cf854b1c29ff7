//! The CSRF token of a `multipart/form-data` upload, read from the start of its body.
//!
//! Browsers send a form's fields in document order, so the hidden `csrf_token` field, first in
//! the form, arrives before the file. Only the first [`PREFIX_LIMIT`] bytes are read looking
//! for it (a large upload is never held here), and the body is handed on whole.

use axum::body::{Body, Bytes};
use futures_util::StreamExt;

/// How much of a multipart body is read looking for the token.
pub const PREFIX_LIMIT: usize = 64 * 1024;

/// The value of the `name` field if it is complete within the first [`PREFIX_LIMIT`] bytes,
/// and the body again, unchanged (or empty if reading it failed, so the request fails too).
pub async fn field_from_start(
    content_type: &str,
    body: Body,
    name: &str,
) -> (Option<String>, Body) {
    let Some(boundary) = boundary(content_type) else {
        return (None, body);
    };
    let mut stream = body.into_data_stream();
    let mut prefix: Vec<u8> = Vec::new();
    let mut ended = false;
    let found = loop {
        match scan(&prefix, &boundary, name) {
            Scan::Found(value) => break Some(value),
            Scan::Absent => break None,
            Scan::NeedMore if ended || prefix.len() >= PREFIX_LIMIT => break None,
            Scan::NeedMore => {}
        }
        match stream.next().await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            Some(Err(_)) => return (None, Body::empty()),
            None => ended = true,
        }
    };
    let head = futures_util::stream::once(async move { Ok::<_, axum::Error>(Bytes::from(prefix)) });
    (found, Body::from_stream(head.chain(stream)))
}

fn boundary(content_type: &str) -> Option<String> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    (!boundary.is_empty()).then(|| boundary.to_string())
}

#[derive(Debug, PartialEq)]
enum Scan {
    Found(String),
    Absent,
    NeedMore,
}

/// Look for the `name` part among the complete parts at the start of `body`.
fn scan(body: &[u8], boundary: &str, name: &str) -> Scan {
    let delimiter = format!("--{boundary}").into_bytes();
    let end_marker = [b"\r\n".as_slice(), &delimiter].concat();
    let Some(start) = find(body, &delimiter) else {
        return Scan::NeedMore;
    };
    let mut rest = &body[start + delimiter.len()..];
    loop {
        if rest.len() < 2 {
            return Scan::NeedMore;
        }
        let Some(part) = rest.strip_prefix(b"\r\n") else {
            // The closing delimiter (`--`) or a malformed body.
            return Scan::Absent;
        };
        let Some(head_end) = find(part, b"\r\n\r\n") else {
            return Scan::NeedMore;
        };
        let wanted = std::str::from_utf8(&part[..head_end])
            .ok()
            .and_then(field_name)
            .is_some_and(|n| n == name);
        let content = &part[head_end + 4..];
        let Some(end) = find(content, &end_marker) else {
            return Scan::NeedMore;
        };
        if wanted {
            return match std::str::from_utf8(&content[..end]) {
                Ok(value) => Scan::Found(value.trim().to_string()),
                Err(_) => Scan::Absent,
            };
        }
        rest = &content[end + end_marker.len()..];
    }
}

/// The `name` parameter of a part's Content-Disposition header.
fn field_name(head: &str) -> Option<&str> {
    let disposition = head.lines().find(|l| {
        l.get(..20)
            .is_some_and(|s| s.eq_ignore_ascii_case("content-disposition:"))
    })?;
    disposition
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("name="))
        .map(|v| v.trim_matches('"'))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] =
        b"--XY\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XY\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"csrf_token\"\r\n\r\na,b\r\n--XY--\r\n";

    #[test]
    fn the_token_is_found_once_its_part_is_complete() {
        assert_eq!(scan(BODY, "XY", "csrf_token"), Scan::Found("abc123".into()));
        assert_eq!(scan(&BODY[..40], "XY", "csrf_token"), Scan::NeedMore);
        assert_eq!(scan(&BODY[..62], "XY", "csrf_token"), Scan::NeedMore);
        assert_eq!(scan(BODY, "XY", "other"), Scan::Absent);
    }

    #[test]
    fn a_file_named_like_the_field_is_not_the_field() {
        let body = b"--XY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"csrf_token\"\r\n\r\nx\r\n--XY--\r\n";
        assert_eq!(scan(body, "XY", "csrf_token"), Scan::Absent);
    }

    #[tokio::test]
    async fn the_body_is_handed_on_whole() {
        let chunks: Vec<Result<Bytes, std::io::Error>> = BODY
            .chunks(7)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let body = Body::from_stream(futures_util::stream::iter(chunks));
        let (token, body) =
            field_from_start("multipart/form-data; boundary=XY", body, "csrf_token").await;
        assert_eq!(token.as_deref(), Some("abc123"));
        let whole = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        assert_eq!(&whole[..], BODY);
    }
}
