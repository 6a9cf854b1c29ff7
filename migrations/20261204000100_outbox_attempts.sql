-- The outbox records each attempt before it sends (issue 15, item 3).
--
-- A delivery is claimed in a commit of its own: `sending_since` says an attempt is under way,
-- and `next_attempt_at` moves to the end of a lease so no other server takes it meanwhile.
-- Sending, and then marking it sent, follow in their own commit. A server killed between the
-- two leaves the attempt on record: when the lease runs out the delivery is sent again, and
-- `interrupted_attempts` counts how often that happened, since the recipient may then have it
-- twice (with the same Message-ID or Idempotency-Key).
alter table outbox add column sending_since timestamptz;
alter table outbox add column interrupted_attempts integer not null default 0;
alter table outbox add constraint outbox_interrupted_attempts_not_negative
    check (interrupted_attempts >= 0);
