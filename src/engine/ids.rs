//! Uuids of the database mapped to the engine's dense ids, both ways. Ids are assigned on
//! first sight and never reused while the index lives.

use std::collections::HashMap;

use uuid::Uuid;

use crate::matching::{OpeningId, PersonId, SkillId};

/// One uuid <-> dense id table.
#[derive(Debug, Default, Clone)]
struct Table {
    by_uuid: HashMap<Uuid, u32>,
    uuids: Vec<Uuid>,
}

impl Table {
    fn get_or_insert(&mut self, id: Uuid) -> u32 {
        if let Some(&i) = self.by_uuid.get(&id) {
            return i;
        }
        let i = self.uuids.len() as u32;
        self.uuids.push(id);
        self.by_uuid.insert(id, i);
        i
    }

    fn get(&self, id: Uuid) -> Option<u32> {
        self.by_uuid.get(&id).copied()
    }

    fn uuid(&self, i: u32) -> Option<Uuid> {
        self.uuids.get(i as usize).copied()
    }
}

/// All the id tables of one loaded index.
#[derive(Debug, Default, Clone)]
pub struct Ids {
    skills: Table,
    people: Table,
    openings: Table,
    profiles: Table,
    families: Table,
    courses: Table,
    locations: Table,
}

macro_rules! id_table {
    ($field:ident, $insert:ident, $of:ident, $uuid:ident, $wrap:expr, $unwrap:expr, $ty:ty) => {
        /// The dense id for this uuid, assigned if new.
        pub fn $insert(&mut self, id: Uuid) -> $ty {
            #[allow(clippy::redundant_closure_call)]
            ($wrap)(self.$field.get_or_insert(id))
        }
        /// The dense id for this uuid, if known.
        pub fn $of(&self, id: Uuid) -> Option<$ty> {
            #[allow(clippy::redundant_closure_call)]
            self.$field.get(id).map($wrap)
        }
        /// The uuid of a dense id.
        pub fn $uuid(&self, id: $ty) -> Option<Uuid> {
            #[allow(clippy::redundant_closure_call)]
            self.$field.uuid(($unwrap)(id))
        }
    };
}

impl Ids {
    id_table!(
        skills,
        skill,
        skill_of,
        skill_uuid,
        SkillId,
        |s: SkillId| s.0,
        SkillId
    );
    id_table!(
        people,
        person,
        person_of,
        person_uuid,
        PersonId,
        |p: PersonId| p.0,
        PersonId
    );
    id_table!(
        openings,
        opening,
        opening_of,
        opening_uuid,
        OpeningId,
        |o: OpeningId| o.0,
        OpeningId
    );
    id_table!(
        profiles,
        profile,
        profile_of,
        profile_uuid,
        |i| i,
        |i| i,
        u32
    );
    id_table!(families, family, family_of, family_uuid, |i| i, |i| i, u32);
    id_table!(courses, course, course_of, course_uuid, |i| i, |i| i, u32);
    id_table!(
        locations,
        location,
        location_of,
        location_uuid,
        |i| i,
        |i| i,
        u32
    );
}
