//! Reading a filter expression: a tokenizer and a small recursive-descent parser (`or` over
//! `and` over `not`, parentheses and value paths), with a reason for every refusal.
//!
//! The input comes from whoever holds a SCIM token, so it is bounded before any work is done:
//! at most [`MAX_FILTER_BYTES`] long and at most [`MAX_DEPTH`] groups deep (parentheses,
//! `not (...)` and value paths `attr[...]` each open one). Without the depth limit a filter of
//! a few thousand `(` overflows the stack, which aborts the whole process.

use serde_json::Value;

use super::ast::{AttrPath, Filter, Op};

/// A token of a filter expression.
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

/// The longest filter accepted, in bytes (identity providers send filters of a few dozen).
pub const MAX_FILTER_BYTES: usize = 4096;

/// The deepest nesting of groups accepted: parentheses, `not (...)` and `attr[...]`.
pub const MAX_DEPTH: usize = 32;

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Groups open at the current position.
    depth: usize,
}

/// Parse a filter expression (refused when longer than [`MAX_FILTER_BYTES`] or nested deeper
/// than [`MAX_DEPTH`]).
pub fn parse(input: &str) -> Result<Filter, String> {
    if input.len() > MAX_FILTER_BYTES {
        return Err(format!(
            "The filter is {} bytes long; at most {MAX_FILTER_BYTES} are accepted.",
            input.len()
        ));
    }
    let mut p = Parser {
        toks: tokenize(input)?,
        pos: 0,
        depth: 0,
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
    /// Open a group (refused past [`MAX_DEPTH`]); every caller closes it with `depth -= 1`.
    fn enter(&mut self) -> Result<(), String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "The filter nests parentheses, not (...) or [...] more than {MAX_DEPTH} deep."
            ));
        }
        self.depth += 1;
        Ok(())
    }
    /// `or()` inside a group that was opened with [`Parser::enter`].
    fn group(&mut self) -> Result<Filter, String> {
        self.enter()?;
        let inner = self.or();
        self.depth -= 1;
        inner
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
            let inner = self.group()?;
            self.expect(Tok::Close)?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.peek() == Some(&Tok::Open) {
            self.pos += 1;
            let inner = self.group()?;
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
            let inner = self.group()?;
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
