//! The transaction every metrics query runs in: read only, planned with its actual
//! parameters, without parallel workers.

use sqlx::PgPool;

/// A read-only transaction whose statements are planned with their actual parameters.
pub(super) async fn custom_plans(
    db: &PgPool,
) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = db.begin().await?;
    sqlx::query("set transaction read only")
        .execute(&mut *tx)
        .await?;
    sqlx::query("set local plan_cache_mode = force_custom_plan")
        .execute(&mut *tx)
        .await?;
    // The dashboard already runs its queries side by side, one connection each: parallel
    // workers on top only add start-up and coordination work.
    sqlx::query("set local max_parallel_workers_per_gather = 0")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}
