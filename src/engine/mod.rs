//! The live matching engine: the pure `matching` index, loaded from PostgreSQL at start and
//! kept current — in-process right after a write, and on every app server through
//! LISTEN/NOTIFY on channel `trellis_matching` (triggers in the database send the changes).
//! Answers talent search, recommendations and learning paths with uuids and names.

pub mod ask;
pub mod ids;
pub mod load;
mod mobility;
pub mod views;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::Instant;

use sqlx::postgres::PgListener;
use sqlx::PgPool;
use uuid::Uuid;

use crate::matching::{CourseCatalog, MatchIndex, Names, SkillId};
use ids::Ids;
use load::Policy;

/// The channel the database triggers notify.
pub const CHANNEL: &str = "trellis_matching";

/// Everything loaded from the database at one time.
pub struct Live {
    pub index: MatchIndex,
    pub ids: Ids,
    /// Skill names by dense skill id.
    pub skill_names: Vec<String>,
    /// Job profiles by dense id: family, level rank and title.
    pub profiles: HashMap<u32, load::ProfileInfo>,
    /// Job family names by dense id.
    pub family_names: HashMap<u32, String>,
    pub catalog: CourseCatalog,
    pub policy: Policy,
}

impl Names for Live {
    fn skill(&self, skill: SkillId) -> String {
        self.skill_names
            .get(skill.index())
            .cloned()
            .unwrap_or_else(|| "a skill no longer in the taxonomy".to_owned())
    }

    fn job_profile(&self, profile: u32) -> String {
        self.profiles
            .get(&profile)
            .map_or_else(|| "a retired role".to_owned(), |p| p.title.clone())
    }

    fn job_family(&self, family: u32) -> String {
        self.family_names
            .get(&family)
            .cloned()
            .unwrap_or_else(|| "a job family".to_owned())
    }
}

/// The engine shared by all requests of one app server.
pub struct Engine {
    live: RwLock<Live>,
    /// Full reloads since the process started (for the operators' `/metrics`).
    reloads: AtomicU64,
}

impl Engine {
    /// Load the index from the database.
    pub async fn load(db: &PgPool) -> Result<Arc<Engine>, sqlx::Error> {
        let started = Instant::now();
        let live = load::everything(db).await?;
        tracing::info!(
            people = live.index.person_count(),
            openings = live.index.opening_count(),
            millis = started.elapsed().as_millis() as u64,
            "matching index loaded"
        );
        Ok(Arc::new(Engine {
            live: RwLock::new(live),
            reloads: AtomicU64::new(0),
        }))
    }

    /// Read access for a search (never held across an await).
    pub fn read(&self) -> RwLockReadGuard<'_, Live> {
        self.live
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Live> {
        self.live
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Rebuild everything from the database and swap it in.
    pub async fn reload(&self, db: &PgPool) -> Result<(), sqlx::Error> {
        let live = load::everything(db).await?;
        *self.write() = live;
        self.reloads.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// How many times the whole index was rebuilt since the process started.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Bring one person up to date (after their profile, aspirations or status changed).
    pub async fn refresh_person(&self, db: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
        let (ids_snapshot, profiles) = {
            let live = self.read();
            (live.ids.clone(), live.profiles.clone())
        };
        if load::mentions_unknown_skill(db, &ids_snapshot, id).await? {
            return self.reload(db).await;
        }
        let mut ids = ids_snapshot;
        let loaded = load::person(db, &mut ids, &profiles, id).await?;
        let mut live = self.write();
        match loaded {
            Some((_, entry)) => {
                // Assign the id in the live table: another refresh may have run meanwhile.
                let person = live.ids.person(id);
                live.index.upsert_person(person, entry);
            }
            None => {
                if let Some(person) = live.ids.person_of(id) {
                    live.index.remove_person(person);
                }
            }
        }
        Ok(())
    }

    /// Bring one opening up to date (after it was published, edited, closed or filled).
    pub async fn refresh_opening(&self, db: &PgPool, id: Uuid) -> Result<(), sqlx::Error> {
        let (mut ids, profiles) = {
            let live = self.read();
            (live.ids.clone(), live.profiles.clone())
        };
        if load::mentions_unknown_skill(db, &ids, id).await? {
            return self.reload(db).await;
        }
        let loaded = load::opening(db, &mut ids, &profiles, id).await?;
        let mut live = self.write();
        match loaded {
            Some((_, mut entry)) => {
                let opening = live.ids.opening(id);
                // The owner may be new to this server's ids.
                if let Some(owner_uuid) = ids.person_uuid(entry.owner) {
                    entry.owner = live.ids.person(owner_uuid);
                }
                live.index.upsert_opening(opening, entry);
            }
            None => {
                if let Some(opening) = live.ids.opening_of(id) {
                    live.index.remove_opening(opening);
                }
            }
        }
        Ok(())
    }

    /// Apply one notification payload.
    pub async fn apply(&self, db: &PgPool, payload: &str) -> Result<(), sqlx::Error> {
        let (kind, id) = payload.split_once(':').unwrap_or((payload, ""));
        match (kind, Uuid::parse_str(id)) {
            ("person", Ok(id)) => self.refresh_person(db, id).await,
            ("opening", Ok(id)) => self.refresh_opening(db, id).await,
            // Taxonomy, courses, policy or a bulk load: rare, so rebuild.
            _ => self.reload(db).await,
        }
    }

    /// Listen for changes made by any app server (or by SQL) and apply them. When the
    /// connection drops, notifications may have been missed: reload everything.
    pub fn spawn_listener(self: &Arc<Self>, db: PgPool) -> tokio::task::JoinHandle<()> {
        let engine = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                if let Err(err) = engine.listen(&db).await {
                    if db.is_closed() {
                        // The server is shutting down.
                        return;
                    }
                    tracing::warn!(%err, "matching listener lost its connection; reloading");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    if let Err(err) = engine.reload(&db).await {
                        tracing::error!(%err, "matching index reload failed");
                    }
                }
            }
        })
    }

    async fn listen(&self, db: &PgPool) -> Result<(), sqlx::Error> {
        let mut listener = PgListener::connect_with(db).await?;
        listener.listen(CHANNEL).await?;
        loop {
            match listener.try_recv().await? {
                Some(notification) => {
                    if let Err(err) = self.apply(db, notification.payload()).await {
                        tracing::error!(%err, payload = notification.payload(), "applying a matching change");
                    }
                }
                None => {
                    // Reconnected after a drop: anything may have changed meanwhile.
                    tracing::warn!("matching listener reconnected; reloading the index");
                    self.reload(db).await?;
                }
            }
        }
    }
}

/// Today as the engine's day number.
pub fn today() -> i32 {
    load::day_number(time::OffsetDateTime::now_utc().date())
}
