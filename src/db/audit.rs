//! The append-only audit trail (the table rejects updates and deletes).
//!
//! A request made with an API token runs inside [`acting_for_token`]: every row it writes with
//! its creator as the actor names the token instead (`actor_kind = 'api_token'`, the token's
//! id and name in the details), because a token is a service identity, not the person who
//! created it. The services that write the rows need not know.

use serde_json::Value;
use uuid::Uuid;

/// Who did something.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    Person(Uuid),
    /// An API token (a service identity), by its id.
    Token(Uuid),
    System,
    Anonymous,
}

impl Actor {
    /// The `actor_id` and `actor_kind` columns of a row this actor writes.
    pub fn columns(self) -> (Option<Uuid>, &'static str) {
        match self {
            Actor::Person(id) => (Some(id), "person"),
            Actor::Token(_) => (None, "api_token"),
            Actor::System | Actor::Anonymous => (None, "system"),
        }
    }
}

/// The token a request acts with: its id, its name, and the HR admin who created it.
#[derive(Debug, Clone)]
pub struct ActingToken {
    pub id: Uuid,
    pub name: String,
    pub created_by: Uuid,
}

tokio::task_local! {
    static ACTING_TOKEN: ActingToken;
}

/// Run `work` (a request's handling) as `token`: audit rows it writes naming the token's
/// creator as actor name the token instead.
pub async fn acting_for_token<F: std::future::Future>(token: ActingToken, work: F) -> F::Output {
    ACTING_TOKEN.scope(token, work).await
}

/// The actor a row written now names, and the details it carries: inside a token's request,
/// the token stands for its creator.
fn resolve(actor: Actor, mut details: Value) -> (Actor, Value) {
    let token = ACTING_TOKEN
        .try_with(|t| t.clone())
        .ok()
        .filter(|t| match actor {
            Actor::Person(id) => id == t.created_by,
            Actor::Token(id) => id == t.id,
            _ => false,
        });
    let Some(token) = token else {
        return (actor, details);
    };
    if !details.is_object() {
        details = serde_json::json!({ "details": details });
    }
    if let Some(map) = details.as_object_mut() {
        map.insert("token_id".into(), token.id.to_string().into());
        map.insert("token_name".into(), token.name.clone().into());
    }
    (Actor::Token(token.id), details)
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
    let (actor, details) = resolve(actor, details);
    let (actor_id, actor_kind) = actor.columns();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn inside_a_token_request_its_creator_is_named_as_the_token() {
        let creator = Uuid::new_v4();
        let token = ActingToken {
            id: Uuid::new_v4(),
            name: "payroll sync".into(),
            created_by: creator,
        };
        let id = token.id;
        let (outside, _) = resolve(Actor::Person(creator), serde_json::json!({}));
        assert!(matches!(outside, Actor::Person(p) if p == creator));
        let (inside, details) = acting_for_token(token, async {
            resolve(Actor::Person(creator), serde_json::json!({ "x": 1 }))
        })
        .await;
        assert!(matches!(inside, Actor::Token(t) if t == id));
        assert_eq!(details["token_name"], "payroll sync");
        assert_eq!(details["x"], 1);
        assert_eq!(inside.columns(), (None, "api_token"));
    }
}
