//! The demo's succession data: the heads of three top-level departments' positions marked
//! critical (leadership), and two talent pools, so `/hr/succession`, the bench and talent
//! search's pool filter have something to show. Successors are left for HR to choose from the
//! engine's proposals (their bands come from each person's learning path, which needs the
//! engine the demo load does not have). The demo's three sign-ins are never marked.

use sqlx::{Postgres, Transaction};

/// Write the succession data into the demo's transaction.
pub async fn write(tx: &mut Transaction<'_, Postgres>) -> anyhow::Result<()> {
    sqlx::query(
        "insert into critical_roles (job_profile_id, incumbent_id, department_id, manager_id,
                                     reason, note)
         select p.job_profile_id, p.id, p.department_id, p.manager_id, 'leadership',
                'Leads ' || d.name || '; no one is ready to step in.'
         from departments d join people p on p.id = d.head_id
         where d.parent_id is null and p.job_profile_id is not null
           and p.employment_status = 'active'
           and p.email not in ('employee@example.com', 'manager@example.com', 'hr@example.com')
         order by d.name limit 3",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "insert into talent_pools (name, kind, description)
         values ('Leadership pipeline', 'future_leaders',
                 'People who named a manager role as their next step.'),
                ('Graduate programme', 'graduate_programme',
                 'People in their first two years at an entry level.')",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "insert into talent_pool_members (pool_id, person_id, added_how)
         select (select id from talent_pools where name = 'Leadership pipeline'), p.id, 'filter'
         from people p
         where p.employment_status = 'active' and exists (
             select 1 from aspiration_targets t join job_profiles jp on jp.id = t.job_profile_id
             join job_levels l on l.id = jp.level_id
             where t.person_id = p.id and l.track = 'manager')
         order by p.employee_number limit 40",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "insert into talent_pool_members (pool_id, person_id, added_how)
         select (select id from talent_pools where name = 'Graduate programme'), p.id, 'filter'
         from people p join job_profiles jp on jp.id = p.job_profile_id
         join job_levels l on l.id = jp.level_id
         where p.employment_status = 'active' and p.hire_date > current_date - 730
           and l.rank = (select min(rank) from job_levels)
         order by p.employee_number limit 40",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
