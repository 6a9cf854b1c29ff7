//! The audit rows the demo's history implies (issue 18, item 6): the demo writes three years
//! of applications and moves, so the audit trail should start three years back too, not at the
//! load. One row per application event (submitted, moved on, withdrawn) by whoever acted, and
//! one per recorded move, each dated when it happened, with the same actions and details the
//! services write (`application.submitted`, `application.transition`,
//! `application.withdrawn`, `move.record`). Nothing is dated in the future.

use sqlx::{Postgres, Transaction};

/// Write the history's audit rows; returns how many.
pub(super) async fn write(tx: &mut Transaction<'_, Postgres>) -> anyhow::Result<u64> {
    let events = sqlx::query(
        "insert into audit_log (occurred_at, actor_id, actor_kind, action, entity_type, entity_id, details)
         select e.occurred_at, coalesce(e.actor_id, case when e.from_status is null then a.applicant_id end),
                case when coalesce(e.actor_id, case when e.from_status is null then a.applicant_id end) is null
                     then 'system' else 'person' end,
                case when e.from_status is null then 'application.submitted'
                     when e.to_status = 'withdrawn' then 'application.withdrawn'
                     else 'application.transition' end,
                'application', a.id::text,
                case when e.from_status is null
                     then jsonb_build_object('opportunity_id', a.opportunity_id, 'status', e.to_status)
                     else jsonb_build_object('before', jsonb_build_object('status', e.from_status),
                                             'after', jsonb_build_object('status', e.to_status),
                                             'reason', e.reason) end
         from application_events e
         join applications a on a.id = e.application_id
         where e.occurred_at <= now()
         order by e.occurred_at, e.id",
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let moves = sqlx::query(
        "insert into audit_log (occurred_at, actor_id, actor_kind, action, entity_type, entity_id, details)
         select least(m.effective_on::timestamptz, now()), m.recorded_by_id,
                case when m.recorded_by_id is null then 'system' else 'person' end,
                'move.record', 'move', m.id::text,
                jsonb_build_object('after', jsonb_build_object('kind', m.kind, 'person_id', m.person_id,
                    'effective_on', m.effective_on, 'release_on', m.release_on), 'source', m.source)
         from moves m
         order by m.effective_on, m.id",
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(events + moves)
}
