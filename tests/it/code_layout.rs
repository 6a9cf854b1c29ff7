//! The layout rules of `docs/ARCHITECTURE.md`, checked from the source: which layer may use
//! which, no import loop between files, no web framework below the handlers. A new loop or a
//! handler importing another door's module fails here, with the files named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path (`["service", "applications", "stage"]`); the crate root is empty.
type Module = Vec<String>;

/// What a top-level folder of `src/` may not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("api", &["web", "scim"]),
    ("scim", &["web", "api"]),
    ("web", &["api", "scim"]),
    ("http", &["web", "api", "scim", "service"]),
    ("service", &["web", "api", "scim", "http"]),
    ("db", &["web", "api", "scim", "http", "service", "app"]),
    (
        "domain",
        &[
            "web", "api", "scim", "http", "service", "db", "app", "engine",
        ],
    ),
    (
        "matching",
        &["web", "api", "scim", "http", "service", "db", "app"],
    ),
];

/// Folders whose code must not know the web framework or the templates.
const NO_FRAMEWORK: &[&str] = &["service", "db", "domain", "matching", "engine"];

struct Crate {
    files: BTreeMap<Module, PathBuf>,
}

impl Crate {
    fn read(src: &Path) -> Crate {
        let mut files = BTreeMap::new();
        walk(src, src, &mut files);
        Crate { files }
    }

    /// The deepest module file a path names.
    fn resolve(&self, path: &[String]) -> Option<Module> {
        (0..=path.len())
            .rev()
            .map(|i| path[..i].to_vec())
            .find(|m| self.files.contains_key(m))
    }

    fn code(&self, module: &Module) -> String {
        let text = std::fs::read_to_string(&self.files[module]).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        text.lines()
            .map(|l| match l.find("//") {
                Some(i) => &l[..i],
                None => l,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every module each file uses, through `crate::` and `super::` paths anywhere in its code
    /// (brace groups of `use` lines expanded).
    fn edges(&self) -> BTreeMap<Module, BTreeSet<Module>> {
        let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
        for module in self.files.keys() {
            let code = self.code(module);
            let out = edges.entry(module.clone()).or_default();
            for (anchor, path) in paths(&code) {
                let mut full: Module = match anchor {
                    Anchor::Crate => Vec::new(),
                    Anchor::Super => module[..module.len().saturating_sub(1)].to_vec(),
                };
                full.extend(path);
                if let Some(target) = self.resolve(&full) {
                    if &target != module && !target.is_empty() {
                        out.insert(target);
                    }
                }
            }
        }
        edges
    }
}

fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<Module, PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "tests") {
                continue;
            }
            walk(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap().with_extension("");
            let mut module: Module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|l| l == "mod") {
                module.pop();
            }
            if module == ["lib"] || module == ["main"] {
                module.clear();
            }
            files.insert(module, path);
        }
    }
}

enum Anchor {
    Crate,
    Super,
}

/// Every `crate::...` and `super::...` path in `code`, brace groups expanded.
fn paths(code: &str) -> Vec<(Anchor, Vec<String>)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let starts_word = i == 0 || !is_ident(bytes[i - 1]);
        let rest = &code[i..];
        let anchor = if starts_word && rest.starts_with("crate::") {
            Some((Anchor::Crate, "crate::".len()))
        } else if starts_word && rest.starts_with("super::") {
            Some((Anchor::Super, "super::".len()))
        } else {
            None
        };
        match anchor {
            Some((anchor, skip)) => {
                let (trees, used) = tree(&code[i + skip..]);
                for path in trees {
                    out.push((
                        match anchor {
                            Anchor::Crate => Anchor::Crate,
                            Anchor::Super => Anchor::Super,
                        },
                        path,
                    ));
                }
                i += skip + used.max(1);
            }
            None => i += 1,
        }
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// A use tree at the start of `s`: `a::b::{c, d::{e, f}}` gives a::b::c, a::b::d::e and
/// a::b::d::f. Returns the paths and how many bytes were read.
fn tree(s: &str) -> (Vec<Vec<String>>, usize) {
    let bytes = s.as_bytes();
    let mut prefix = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        if i > start {
            let seg = &s[start..i];
            if seg != "self" {
                prefix.push(seg.to_string());
            }
        }
        if s[i..].starts_with("::") {
            i += 2;
            if bytes.get(i) == Some(&b'{') {
                i += 1;
                let mut all = Vec::new();
                loop {
                    while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                        i += 1;
                    }
                    if i >= bytes.len() || bytes[i] == b'}' {
                        i += 1;
                        break;
                    }
                    let (inner, used) = tree(&s[i..]);
                    for p in inner {
                        let mut full = prefix.clone();
                        full.extend(p);
                        all.push(full);
                    }
                    i += if used > 0 {
                        used
                    } else {
                        s[i..].chars().next().map_or(1, char::len_utf8)
                    };
                    // `x as y`
                    let tail = s[i..].trim_start();
                    if let Some(after) = tail.strip_prefix("as ") {
                        let skipped = s.len() - after.len();
                        i = skipped;
                        while i < bytes.len() && (bytes[i].is_ascii_whitespace()) {
                            i += 1;
                        }
                        while i < bytes.len() && is_ident(bytes[i]) {
                            i += 1;
                        }
                    }
                }
                return (all, i);
            }
            continue;
        }
        return (vec![prefix], i);
    }
}

fn layer(module: &Module) -> &str {
    module.first().map(String::as_str).unwrap_or("")
}

fn display(c: &Crate, m: &Module) -> String {
    c.files[m]
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .display()
        .to_string()
}

fn source() -> Crate {
    Crate::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn no_layer_uses_a_layer_it_may_not() {
    let c = source();
    let mut wrong = Vec::new();
    for (from, targets) in c.edges() {
        let Some((_, forbidden)) = FORBIDDEN.iter().find(|(l, _)| *l == layer(&from)) else {
            continue;
        };
        for to in targets {
            if forbidden.contains(&layer(&to)) {
                wrong.push(format!("{} uses {}", display(&c, &from), display(&c, &to)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that break the layers of docs/ARCHITECTURE.md:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn services_and_everything_below_them_know_no_web_framework() {
    let c = source();
    let mut wrong = Vec::new();
    for module in c.files.keys() {
        if !NO_FRAMEWORK.contains(&layer(module)) {
            continue;
        }
        let code = c.code(module);
        for word in ["axum::", "askama::", "tower_http::"] {
            if code.contains(word) {
                wrong.push(format!("{} uses {word}", display(&c, module)));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_two_files_import_each_other_even_through_others() {
    let c = source();
    let edges = c.edges();
    let loops = strongly_connected(&edges);
    let shown: Vec<String> = loops
        .iter()
        .map(|comp| {
            comp.iter()
                .map(|m| display(&c, m))
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect();
    assert!(shown.is_empty(), "import loops:\n{}", shown.join("\n"));
}

#[test]
fn the_checker_sees_a_loop_and_a_brace_group() {
    let code = "use crate::a::{b::{C, D}, e as f};\nfn x() { super::g::h(); }";
    let found: Vec<String> = paths(code)
        .into_iter()
        .map(|(a, p)| {
            let anchor = match a {
                Anchor::Crate => "crate",
                Anchor::Super => "super",
            };
            format!("{anchor}::{}", p.join("::"))
        })
        .collect();
    assert_eq!(
        found,
        [
            "crate::a::b::C",
            "crate::a::b::D",
            "crate::a::e",
            "super::g::h"
        ]
    );
    let m = |s: &str| -> Module { s.split('/').map(String::from).collect() };
    let mut edges = BTreeMap::new();
    edges.insert(m("x/a"), BTreeSet::from([m("x/b")]));
    edges.insert(m("x/b"), BTreeSet::from([m("x/c")]));
    edges.insert(m("x/c"), BTreeSet::from([m("x/a")]));
    edges.insert(m("x/d"), BTreeSet::from([m("x/a")]));
    assert_eq!(
        strongly_connected(&edges),
        vec![vec![m("x/a"), m("x/b"), m("x/c")]]
    );
}

/// Groups of two or more files that reach each other (Tarjan), each sorted.
fn strongly_connected(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        next: usize,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                let Some((w, _)) = s.edges.get_key_value(w) else {
                    continue;
                };
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}
