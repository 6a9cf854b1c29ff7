//! SCIM filter expressions (RFC 7644 §3.4.2.2): a small recursive-descent parser, and the
//! evaluation of a filter against one JSON value (for PATCH paths like
//! `emails[type eq "work"].value`). Pure: no database, no HTTP.

use serde_json::Value;

/// An attribute path: optional schema URN, attribute, optional sub-attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrPath {
    pub urn: Option<String>,
    pub attr: String,
    pub sub: Option<String>,
}

impl AttrPath {
    /// `attr` or `attr.sub`, lowercased (attribute names are case-insensitive).
    pub fn key(&self) -> String {
        match &self.sub {
            Some(s) => format!("{}.{}", self.attr, s).to_ascii_lowercase(),
            None => self.attr.to_ascii_lowercase(),
        }
    }

    /// Parse `urn:...:User:employeeNumber`, `name.familyName`, `userName`.
    pub fn parse(text: &str) -> Result<AttrPath, String> {
        let (urn, rest) = if text.to_ascii_lowercase().starts_with("urn:") {
            match text.rfind(':') {
                Some(i) => (Some(text[..i].to_string()), &text[i + 1..]),
                None => return Err(format!("'{text}' is not an attribute path.")),
            }
        } else {
            (None, text)
        };
        let mut parts = rest.splitn(2, '.');
        let attr = parts.next().unwrap_or("").to_string();
        let sub = parts.next().map(str::to_string);
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '$')
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
        };
        if !valid(&attr) || sub.as_deref().is_some_and(|s| !valid(s)) {
            return Err(format!("'{text}' is not an attribute path."));
        }
        Ok(AttrPath { urn, attr, sub })
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        Some(match word.to_ascii_lowercase().as_str() {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "co" => Op::Co,
            "sw" => Op::Sw,
            "ew" => Op::Ew,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }
}

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Compare(AttrPath, Op, Value),
    Present(AttrPath),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `emails[type eq "work"]`: some element of a multi-valued attribute matches.
    ValuePath(AttrPath, Box<Filter>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Open,
    Close,
    LBracket,
    RBracket,
}

fn tokenize(input: &str) -> Result<Vec<Tok>, String> {
    let mut out = vec![];
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '[' | ']' => {
                chars.next();
                out.push(match c {
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    '[' => Tok::LBracket,
                    _ => Tok::RBracket,
                });
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => return Err("A string is not closed with a quote.".into()),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(other) => s.push(other),
                            None => return Err("A string ends with a backslash.".into()),
                        },
                        Some(other) => s.push(other),
                    }
                }
                out.push(Tok::Str(s));
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || "()[]\"".contains(c) {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(Tok::Word(w));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

/// Parse a filter expression.
pub fn parse(input: &str) -> Result<Filter, String> {
    let mut p = Parser {
        toks: tokenize(input)?,
        pos: 0,
    };
    if p.toks.is_empty() {
        return Err("The filter is empty.".into());
    }
    let f = p.or()?;
    if p.pos != p.toks.len() {
        return Err(format!("Unexpected {} in the filter.", p.describe()));
    }
    Ok(f)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn describe(&self) -> String {
        match self.peek() {
            None => "end".into(),
            Some(Tok::Word(w)) => format!("'{w}'"),
            Some(Tok::Str(s)) => format!("\"{s}\""),
            Some(t) => format!("{t:?}").to_lowercase(),
        }
    }
    fn keyword(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(k))
    }
    fn expect(&mut self, t: Tok) -> Result<(), String> {
        if self.peek() == Some(&t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("Expected {t:?} but found {}.", self.describe())
                .replace("Close", "')'")
                .replace("RBracket", "']'"))
        }
    }
    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.pos += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Filter, String> {
        if self.keyword("not") {
            self.pos += 1;
            self.expect(Tok::Open)?;
            let inner = self.or()?;
            self.expect(Tok::Close)?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.peek() == Some(&Tok::Open) {
            self.pos += 1;
            let inner = self.or()?;
            self.expect(Tok::Close)?;
            return Ok(inner);
        }
        self.attr_expr()
    }
    fn attr_expr(&mut self) -> Result<Filter, String> {
        let Some(Tok::Word(w)) = self.peek().cloned() else {
            return Err(format!(
                "Expected an attribute but found {}.",
                self.describe()
            ));
        };
        self.pos += 1;
        let path = AttrPath::parse(&w)?;
        if self.peek() == Some(&Tok::LBracket) {
            self.pos += 1;
            let inner = self.or()?;
            self.expect(Tok::RBracket)?;
            return Ok(Filter::ValuePath(path, Box::new(inner)));
        }
        if self.keyword("pr") {
            self.pos += 1;
            return Ok(Filter::Present(path));
        }
        let op = match self.peek() {
            Some(Tok::Word(o)) => Op::parse(o),
            _ => None,
        }
        .ok_or_else(|| {
            format!(
                "Expected an operator after '{w}' but found {}.",
                self.describe()
            )
        })?;
        self.pos += 1;
        let value = match self.peek().cloned() {
            Some(Tok::Str(s)) => Value::String(s),
            Some(Tok::Word(v)) => match v.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                n => serde_json::from_str::<serde_json::Number>(n)
                    .map(Value::Number)
                    .map_err(|_| format!("'{n}' is not a value: quote strings with \"."))?,
            },
            _ => return Err(format!("Expected a value but found {}.", self.describe())),
        };
        self.pos += 1;
        Ok(Filter::Compare(path, op, value))
    }
}

/// The value at `attr` (case-insensitive key) in a JSON object.
pub fn get_ci<'a>(object: &'a Value, attr: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(attr))
        .map(|(_, v)| v)
}

fn resolve<'a>(item: &'a Value, path: &AttrPath) -> Option<&'a Value> {
    let first = get_ci(item, &path.attr)?;
    match &path.sub {
        Some(s) => get_ci(first, s),
        None => Some(first),
    }
}

/// Does `item` (one element of a multi-valued attribute, or a resource) match `filter`?
/// Strings compare case-insensitively.
pub fn matches(filter: &Filter, item: &Value) -> bool {
    match filter {
        Filter::And(a, b) => matches(a, item) && matches(b, item),
        Filter::Or(a, b) => matches(a, item) || matches(b, item),
        Filter::Not(a) => !matches(a, item),
        Filter::Present(p) => resolve(item, p).is_some_and(|v| !v.is_null() && v != ""),
        Filter::ValuePath(p, inner) => match get_ci(item, &p.attr) {
            Some(Value::Array(items)) => items.iter().any(|i| matches(inner, i)),
            Some(v) => matches(inner, v),
            None => false,
        },
        Filter::Compare(p, op, expected) => {
            let actual = resolve(item, p).unwrap_or(&Value::Null);
            compare(actual, *op, expected)
        }
    }
}

fn compare(actual: &Value, op: Op, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::String(a), Value::String(e)) => {
            let (a, e) = (a.to_lowercase(), e.to_lowercase());
            match op {
                Op::Eq => a == e,
                Op::Ne => a != e,
                Op::Co => a.contains(&e),
                Op::Sw => a.starts_with(&e),
                Op::Ew => a.ends_with(&e),
                Op::Gt => a > e,
                Op::Ge => a >= e,
                Op::Lt => a < e,
                Op::Le => a <= e,
            }
        }
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap_or(0.0), e.as_f64().unwrap_or(0.0));
            match op {
                Op::Eq => a == e,
                Op::Ne => a != e,
                Op::Gt => a > e,
                Op::Ge => a >= e,
                Op::Lt => a < e,
                Op::Le => a <= e,
                _ => false,
            }
        }
        (a, e) => match op {
            Op::Eq => a == e,
            Op::Ne => a != e,
            _ => false,
        },
    }
}

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
