//! SCIM filters (`GET /scim/v2/Users?filter=...`, `.search` bodies): any text either parses or
//! is refused with a reason, and whatever parses can be evaluated against a resource and
//! turned into SQL without panicking or exhausting the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::json;
use sqlx::{Postgres, QueryBuilder};
use trellis::scim::filter;
use trellis::scim::sql::{push_filter, Resource};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = filter::parse(text);
    if text.len() > filter::MAX_FILTER_BYTES {
        assert!(parsed.is_err(), "a filter over the length limit is refused");
    }
    let Ok(f) = parsed else {
        return;
    };
    let user = json!({
        "userName": "ann@example.com", "active": true, "title": null,
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"type": "work", "value": "ann@example.com", "primary": true}],
        "meta": {"lastModified": "2025-01-01T00:00:00Z"}
    });
    let _ = filter::matches(&f, &user);
    let _ = filter::matches(&f, &user["emails"][0]);
    for resource in [Resource::User, Resource::Group] {
        let mut qb = QueryBuilder::<Postgres>::new("select 1 where ");
        let _ = push_filter(&mut qb, resource, &f);
        let _ = qb.sql();
    }
});
