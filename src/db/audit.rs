//! The append-only audit trail (the table rejects updates and deletes).

use serde_json::Value;
use uuid::Uuid;

/// Who did something.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    Person(Uuid),
    System,
    Anonymous,
}

/// Append one entry.
pub async fn record<'e, E>(
    executor: E,
    actor: Actor,
    action: &str,
    entity_type: &str,
    entity_id: Option<String>,
    details: Value,
) -> Result<(), sqlx::Error>
where
    E: sqlx::PgExecutor<'e>,
{
    let (actor_id, actor_kind) = match actor {
        Actor::Person(id) => (Some(id), "person"),
        Actor::System | Actor::Anonymous => (None, "system"),
    };
    sqlx::query!(
        "insert into audit_log (actor_id, actor_kind, action, entity_type, entity_id, details)
         values ($1, $2, $3, $4, $5, $6)",
        actor_id,
        actor_kind,
        action,
        entity_type,
        entity_id,
        details
    )
    .execute(executor)
    .await?;
    Ok(())
}
