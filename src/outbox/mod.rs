//! Notifications out (email and chat) through a durable outbox.
