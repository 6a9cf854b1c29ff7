//! The manager's side of the people they manage: who may see a person's career
//! conversations, and recording them.

pub mod conversations;
