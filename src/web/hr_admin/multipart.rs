//! A minimal `multipart/form-data` reader for the upload form (one file and a few fields).

use std::collections::HashMap;

/// The parts of a multipart body by field name, or None when it is not well formed.
pub fn parse(content_type: &str, body: &[u8]) -> Option<HashMap<String, Vec<u8>>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = HashMap::new();
    let mut rest = &body[find(body, &delimiter)? + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        let content = &rest[head_end + 4..];
        let end = find(content, &[b"\r\n".as_slice(), &delimiter].concat())?;
        if let Some(name) = field_name(head) {
            parts.insert(name, content[..end].to_vec());
        }
        rest = &content[end + 2 + delimiter.len()..];
    }
}

fn field_name(head: &str) -> Option<String> {
    let disposition = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
    let start = disposition.find("name=\"")? + 6;
    let len = disposition[start..].find('"')?;
    Some(disposition[start..start + len].to_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(i) = haystack[from..].iter().position(|&b| b == first) {
        let at = from + i;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_and_a_field_are_read_by_name() {
        let body = b"--XY\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npeople\r\n--XY\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n--XY--\r\n";
        let parts = parse("multipart/form-data; boundary=XY", body).unwrap();
        assert_eq!(parts["kind"], b"people");
        assert_eq!(parts["file"], b"a,b\r\n1,2");
    }
}
