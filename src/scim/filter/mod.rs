//! SCIM filter expressions (RFC 7644 §3.4.2.2): a small recursive-descent parser, and the
//! evaluation of a filter against one JSON value (for PATCH paths like
//! `emails[type eq "work"].value`). Pure: no database, no HTTP.
//!
//! - `ast`: the parsed form (`AttrPath`, `Op`, `Filter`).
//! - `parse`: text to `Filter`.
//! - `eval`: whether a JSON value matches a `Filter`.

mod ast;
mod eval;
mod parse;

pub use ast::{AttrPath, Filter, Op};
pub use eval::{get_ci, matches};
pub use parse::{parse, MAX_DEPTH, MAX_FILTER_BYTES};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(a: &str) -> AttrPath {
        AttrPath::parse(a).unwrap()
    }

    #[test]
    fn a_simple_equality_parses_with_any_case_operator() {
        assert_eq!(
            parse(r#"userName EQ "bjensen@example.com""#).unwrap(),
            Filter::Compare(path("userName"), Op::Eq, json!("bjensen@example.com"))
        );
    }

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_override() {
        let f = parse(r#"title pr or userType eq "Employee" and active eq true"#).unwrap();
        assert!(matches!(f, Filter::Or(_, ref r) if matches!(**r, Filter::And(_, _))));
        let g = parse(r#"(title pr or userType eq "Employee") and active eq true"#).unwrap();
        assert!(matches!(g, Filter::And(ref l, _) if matches!(**l, Filter::Or(_, _))));
    }

    #[test]
    fn not_needs_parentheses_and_nests() {
        let f = parse(
            r#"not (name.familyName sw "J") and meta.lastModified gt "2011-05-13T04:42:34Z""#,
        )
        .unwrap();
        let Filter::And(l, r) = f else {
            panic!("and expected")
        };
        assert!(matches!(*l, Filter::Not(_)));
        assert_eq!(
            *r,
            Filter::Compare(
                path("meta.lastModified"),
                Op::Gt,
                json!("2011-05-13T04:42:34Z")
            )
        );
        assert!(parse(r#"not name.familyName sw "J""#).is_err());
    }

    #[test]
    fn a_urn_qualified_path_keeps_its_schema_and_attribute() {
        let f = parse(r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984""#)
            .unwrap();
        let Filter::Compare(p, Op::Eq, v) = f else {
            panic!("compare expected")
        };
        assert_eq!(
            p.urn.as_deref(),
            Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        );
        assert_eq!(p.attr, "employeeNumber");
        assert_eq!(v, json!("701984"));
    }

    #[test]
    fn value_paths_numbers_booleans_null_and_escaped_quotes_parse() {
        let f = parse(r#"emails[type eq "work" and value co "@example.com"]"#).unwrap();
        assert!(matches!(f, Filter::ValuePath(ref p, _) if p.attr == "emails"));
        assert!(parse("x gt 10.5").is_ok());
        assert!(parse("active eq false").is_ok());
        assert!(parse("manager eq null").is_ok());
        assert_eq!(
            parse(r#"displayName eq "say \"hi\"""#).unwrap(),
            Filter::Compare(path("displayName"), Op::Eq, json!("say \"hi\""))
        );
    }

    #[test]
    fn broken_filters_are_refused_with_a_reason() {
        for bad in [
            "",
            "userName",
            r#"userName xx "a""#,
            r#"userName eq"#,
            r#"userName eq "a"#,
            r#"(userName eq "a""#,
            r#"userName eq "a" and"#,
            "userName eq bare",
            r#"a eq "b" c"#,
            r#"emails[type eq "work""#,
            r#"9abc eq "x""#,
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn nesting_is_refused_past_the_limit_and_says_so() {
        let nested = |n: usize| format!("{}userName pr{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let err = parse(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert!(
            err.contains(&format!("more than {MAX_DEPTH} deep")),
            "{err}"
        );
        // The attack: thousands of parentheses (it used to overflow the stack).
        assert!(parse(&nested(2_000)).is_err());
        let nots = format!(
            "{}a pr{}",
            "not (".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&nots).unwrap_err().contains("deep"));
        let brackets = format!(
            "{}a pr{}",
            "e[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&brackets).unwrap_err().contains("deep"));
        // Groups side by side are not nested.
        let wide = vec!["(a pr)"; 100].join(" or ");
        assert!(parse(&wide).is_ok());
    }

    #[test]
    fn a_filter_longer_than_the_limit_is_refused_and_the_longest_chain_still_works() {
        let long = format!(r#"userName eq "{}""#, "x".repeat(MAX_FILTER_BYTES));
        let err = parse(&long).unwrap_err();
        assert!(err.contains(&MAX_FILTER_BYTES.to_string()), "{err}");
        // The longest `or` chain that fits builds a deep (left-leaning) tree; evaluating and
        // dropping it stays well within the stack.
        let mut chain = String::from("a pr");
        while chain.len() + 8 <= MAX_FILTER_BYTES {
            chain.push_str(" or a pr");
        }
        let f = parse(&chain).unwrap();
        assert!(matches(&f, &json!({"a": 1})));
        assert!(!matches(&f, &json!({"b": 1})));
    }

    #[test]
    fn filters_match_json_elements_case_insensitively() {
        let email = json!({"type": "Work", "value": "Ann@Example.com", "primary": true});
        assert!(matches(&parse(r#"type eq "work""#).unwrap(), &email));
        assert!(matches(
            &parse(r#"value ew "example.COM" and primary eq true"#).unwrap(),
            &email
        ));
        assert!(!matches(
            &parse(r#"type eq "home" or not (value sw "ann")"#).unwrap(),
            &email
        ));
        assert!(matches(
            &parse("display pr").unwrap(),
            &json!({"display": "x"})
        ));
        assert!(!matches(&parse("display pr").unwrap(), &email));
        let user = json!({"emails": [{"type": "home", "value": "a"}, email]});
        assert!(matches(&parse(r#"emails[type eq "work"]"#).unwrap(), &user));
    }
}
