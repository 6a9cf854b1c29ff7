//! Extractors whose rejections are `AppError`s, so bad input never reaches axum's plain text.

use axum::extract::FromRequest;
use axum::extract::FromRequestParts;

use crate::error::AppError;

/// `axum::Form` with Trellis errors.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Form), rejection(AppError))]
pub struct Form<T>(pub T);

/// `axum::Json` with Trellis errors.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

/// `axum::extract::Query` with Trellis errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path` with Trellis errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);
