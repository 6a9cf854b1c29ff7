//! The ESCO CSV export as downloaded from the ESCO portal (a zip, its files at the top or in
//! one folder): checked before a job starts, then the files the import reads are unpacked
//! into a private folder. Only those files are written, by their own file name (never a
//! path from the archive), each at most `MAX_FILE` bytes, so a crafted archive can neither
//! write outside the folder nor fill the disk.

use std::io::{Cursor, Read, Write};
use std::path::Path;

use zip::ZipArchive;

/// The files the import reads; `skills_en.csv` must be there.
pub const WANTED: [&str; 6] = [
    "skills_en.csv",
    "skillGroups_en.csv",
    "broaderRelationsSkillPillar.csv",
    "skillSkillRelations.csv",
    "occupations_en.csv",
    "occupationSkillRelations.csv",
];

/// The largest a file may be once unpacked (the whole English export's largest file,
/// `occupationSkillRelations.csv`, is about 21 MB).
pub const MAX_FILE: u64 = 256 * 1024 * 1024;

/// The most entries an archive may list.
const MAX_ENTRIES: usize = 20_000;

/// What is wrong with an upload, in the words HR reads.
#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    #[error("the file is not a zip archive ({0}); upload the ESCO CSV export as downloaded")]
    NotZip(String),
    #[error("the archive lists {0} entries, more than the {MAX_ENTRIES} an ESCO export has")]
    TooManyEntries(usize),
    #[error(
        "the archive has no skills_en.csv: download the ESCO export in CSV format, in English"
    )]
    NoSkills,
    #[error("{0} is larger than {MAX_FILE} bytes once unpacked")]
    TooLarge(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

/// The wanted file an entry is, by its file name (any folder), if any.
fn wanted(name: &str) -> Option<&'static str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    WANTED.iter().copied().find(|w| *w == base)
}

/// Check that `bytes` is a zip holding `skills_en.csv`, without unpacking anything.
pub fn check(bytes: &[u8]) -> Result<(), ZipError> {
    let archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| ZipError::NotZip(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ZipError::TooManyEntries(archive.len()));
    }
    if !archive
        .file_names()
        .any(|n| n.is_ok_and(|n| wanted(&n) == Some("skills_en.csv")))
    {
        return Err(ZipError::NoSkills);
    }
    Ok(())
}

/// Unpack the wanted files of `bytes` into `dir` (which must exist).
pub fn unpack(bytes: &[u8], dir: &Path) -> Result<(), ZipError> {
    check(bytes)?;
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| ZipError::NotZip(e.to_string()))?;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| ZipError::NotZip(e.to_string()))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let Some(target) = wanted(&name) else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        if entry.size() > MAX_FILE {
            return Err(ZipError::TooLarge(target.to_string()));
        }
        let path = dir.join(target);
        let mut out =
            std::fs::File::create(&path).map_err(|e| ZipError::Io(target.to_string(), e))?;
        // The declared size may lie: stop one byte past the limit whatever it says.
        let mut limited = (&mut entry).take(MAX_FILE + 1);
        let written = std::io::copy(&mut limited, &mut out)
            .map_err(|e| ZipError::Io(target.to_string(), e))?;
        if written > MAX_FILE {
            return Err(ZipError::TooLarge(target.to_string()));
        }
        out.flush()
            .map_err(|e| ZipError::Io(target.to_string(), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zip::write::SimpleFileOptions;

    fn archive(files: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        for (name, body) in files {
            z.start_file(*name, SimpleFileOptions::default()).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn the_wanted_files_are_unpacked_by_their_own_name_only() {
        let bytes = archive(&[
            (
                "ESCO dataset - v1.1.1 - classification - en - csv/skills_en.csv",
                "a,b\n",
            ),
            ("../../etc/skillGroups_en.csv", "g\n"),
            ("readme.txt", "ignored"),
        ]);
        let dir = std::env::temp_dir().join(format!("esco-zip-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        unpack(&bytes, &dir).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("skills_en.csv")).unwrap(),
            "a,b\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("skillGroups_en.csv")).unwrap(),
            "g\n"
        );
        assert!(!dir.join("readme.txt").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_upload_that_is_not_the_esco_export_is_refused_with_why() {
        assert!(matches!(check(b"name,level\n"), Err(ZipError::NotZip(_))));
        let other = archive(&[("occupations_en.csv", "x")]);
        let err = check(&other).unwrap_err();
        assert!(err.to_string().contains("no skills_en.csv"), "{err}");
    }
}
