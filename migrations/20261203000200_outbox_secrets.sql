-- Secrets at rest (issue 14, finding 17).
--
-- 1. An account email (a password reset link) carries a live credential in `outbox.link`.
--    Such rows are marked `secret`; the outbox clears their link once the email is sent, and
--    gives up on (and clears) one still unsent when the link it carries has expired.
alter table outbox add column secret boolean not null default false;

update outbox set secret = true
where notification_id is null and link like '/login/reset/%';

update outbox set link = null
where secret and (sent_at is not null or created_at < now() - interval '60 minutes');

update outbox set sent_at = now(), last_error = 'not sent: the link expired before delivery'
where secret and sent_at is null and link is null;

-- 2. A personal chat webhook URL is a bearer secret, and `notification_preferences.update`
--    audit rows (which HR and read tokens see) held it in full. Older rows keep only the host
--    and the last four characters, as `outbox::webhook::redacted` writes new ones. The audit
--    log is append-only; this one-off redaction is the only change ever made to it.
alter table audit_log disable trigger audit_log_no_update;

update audit_log
set details = jsonb_set(
    details,
    '{after,chat_webhook_url}',
    to_jsonb(
        coalesce(lower(substring(details #>> '{after,chat_webhook_url}'
                                 from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)')), '')
        || '/…' || right(details #>> '{after,chat_webhook_url}', 4)))
where action = 'notification_preferences.update'
  and jsonb_typeof(details #> '{after,chat_webhook_url}') = 'string'
  and details #>> '{after,chat_webhook_url}' not like '%/…%';

alter table audit_log enable trigger audit_log_no_update;
