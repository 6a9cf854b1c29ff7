//! Reading the ESCO CSV export: the wanted columns of each file by name (an absent file is
//! empty), and each skill's category from the broader-relations file.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;

/// A CSV reader on `dir/name`, or None when the file is absent.
fn open(dir: &Path, name: &str) -> anyhow::Result<Option<csv::Reader<std::fs::File>>> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(csv::Reader::from_path(&path).with_context(|| {
        format!("cannot read {}", path.display())
    })?))
}

/// Each named column's value, for every record of `name` (empty when the file is absent).
pub(super) fn records(
    dir: &Path,
    name: &str,
    columns: &[&str],
) -> anyhow::Result<Vec<Vec<String>>> {
    let Some(mut reader) = open(dir, name)? else {
        return Ok(Vec::new());
    };
    let headers = reader.headers()?.clone();
    let idx: Vec<usize> = columns
        .iter()
        .map(|c| {
            headers
                .iter()
                .position(|h| h == *c)
                .with_context(|| format!("{name} has no {c} column"))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.with_context(|| format!("{name} cannot be read"))?;
        out.push(
            idx.iter()
                .map(|&i| r.get(i).unwrap_or("").to_owned())
                .collect(),
        );
    }
    Ok(out)
}

/// A skill's category: its first broader skill group, or its broader skill's (up to 4 levels).
pub(super) fn categories_by_skill(broader: &[Vec<String>]) -> HashMap<&str, &str> {
    let mut group: HashMap<&str, &str> = HashMap::new();
    let mut parent_skill: HashMap<&str, &str> = HashMap::new();
    for b in broader {
        if b[1] == "SkillGroup" {
            group.entry(b[0].as_str()).or_insert(b[2].as_str());
        } else {
            parent_skill.entry(b[0].as_str()).or_insert(b[2].as_str());
        }
    }
    let mut out = HashMap::new();
    for &skill in parent_skill.keys().chain(group.keys()) {
        let mut at = skill;
        for _ in 0..5 {
            if let Some(g) = group.get(at) {
                out.insert(skill, *g);
                break;
            }
            match parent_skill.get(at) {
                Some(p) => at = p,
                None => break,
            }
        }
    }
    out
}
