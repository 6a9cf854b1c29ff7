//! The skill taxonomy as HR keeps it: search, edit, merge and the ESCO import (`skills`), and
//! each skill's aliases and related skills (`links`). Every change marks the skill
//! hand-edited (an ESCO re-import leaves it alone), is audited, and reloads the engine. The
//! pages in `web::hr_admin` and the JSON API in `api::hr_admin` both call these.

pub mod links;
pub mod proposals;
pub mod skills;
