//! The matching engine: explainable fit scores, rarity, learning paths. Pure functions over
//! plain data: no sqlx, no axum inside.
