//! Query-string parameters as typed: every list page and its API twin take them as text and
//! check them here, so a bad value names its parameter (422) instead of failing the request.

use uuid::Uuid;

use crate::error::FieldError;

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: i64 = 200;

/// Highest page number a client may ask for: far past the end of any list Trellis holds
/// (a million pages of 200 rows), and low enough that its OFFSET cannot overflow. A page past
/// it is refused with 422 naming `page` (not clamped: a silently different page would look
/// like data), like any other bad parameter.
pub const MAX_PAGE: i64 = 1_000_000;

/// The trimmed value, or None when empty or missing.
pub fn value(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A whole number in `range` (`default` when not given), or an error on `field`.
pub fn number(
    errors: &mut Vec<FieldError>,
    field: &str,
    v: &Option<String>,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> i64 {
    match value(v).map(str::parse::<i64>) {
        None => default,
        Some(Ok(n)) if range.contains(&n) => n,
        Some(_) => {
            let (lo, hi) = (range.start(), range.end());
            let message = if *hi == i64::MAX {
                format!("must be a whole number from {lo}")
            } else {
                format!("must be a whole number from {lo} to {hi}")
            };
            errors.push(FieldError::new(field, message));
            default
        }
    }
}

/// `page`: 1 to [`MAX_PAGE`], 1 when not given.
pub fn page(errors: &mut Vec<FieldError>, page: &Option<String>) -> i64 {
    number(errors, "page", page, 1, 1..=MAX_PAGE)
}

/// `page` (1 to [`MAX_PAGE`]) and `page_size` (1 to [`MAX_PAGE_SIZE`], `default_size` when
/// not given).
pub fn paging(
    errors: &mut Vec<FieldError>,
    page_v: &Option<String>,
    page_size: &Option<String>,
    default_size: i64,
) -> (i64, i64) {
    (
        page(errors, page_v),
        number(
            errors,
            "page_size",
            page_size,
            default_size,
            1..=MAX_PAGE_SIZE,
        ),
    )
}

/// An id, or an error on `field`.
pub fn id(errors: &mut Vec<FieldError>, field: &str, v: &Option<String>) -> Option<Uuid> {
    let s = value(v)?;
    Uuid::parse_str(s)
        .map_err(|_| errors.push(FieldError::new(field, "is not a valid id")))
        .ok()
}

/// One of the `allowed` words, or an error on `field` listing them.
pub fn one_of(
    errors: &mut Vec<FieldError>,
    field: &str,
    v: &Option<String>,
    allowed: &[&str],
) -> Option<String> {
    let s = value(v)?;
    if allowed.contains(&s) {
        Some(s.to_string())
    } else {
        let message = format!("must be one of {}", allowed.join(", "));
        errors.push(FieldError::new(field, message));
        None
    }
}

/// The SQL OFFSET of `page` (from 1) with `page_size` rows a page: the one place it is
/// computed. Saturating, so never negative whatever it is given.
pub fn offset(page: i64, page_size: i64) -> i64 {
    page.max(1)
        .saturating_sub(1)
        .saturating_mul(page_size.max(0))
}

/// The last page number for `total` rows (at least 1).
pub fn last_page(total: i64, page_size: i64) -> i64 {
    ((total + page_size - 1) / page_size).max(1)
}

/// A `YYYY-MM-DD` form value; blank is none.
pub fn parse_date(field: &str, value: &str) -> crate::error::Result<Option<time::Date>> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]"))
        .map(Some)
        .map_err(|_| crate::error::AppError::field(field, "enter a date as YYYY-MM-DD"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_outside_their_range_name_the_parameter() {
        let mut errors = Vec::new();
        let (page, size) = paging(&mut errors, &Some("0".into()), &Some("500".into()), 50);
        assert_eq!((page, size), (1, 50), "defaults stand in for bad values");
        let named: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("page", "must be a whole number from 1 to 1000000"),
                ("page_size", "must be a whole number from 1 to 200")
            ]
        );
        assert_eq!(
            paging(&mut Vec::new(), &None, &Some(" 20 ".into()), 50),
            (1, 20)
        );
        let mut errors = Vec::new();
        let huge = Some(i64::MAX.to_string());
        assert_eq!(paging(&mut errors, &huge, &None, 50), (1, 50));
        assert_eq!(errors[0].field, "page");
        assert_eq!(offset(MAX_PAGE, MAX_PAGE_SIZE), 199_999_800);
        assert_eq!(offset(i64::MAX, i64::MAX), i64::MAX);
        assert_eq!(offset(i64::MIN, 50), 0);
        assert_eq!(offset(3, 50), 100);
        assert_eq!(last_page(0, 50), 1);
        assert_eq!(last_page(101, 50), 3);
    }
}
