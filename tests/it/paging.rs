//! Paging on every paged list, pages and API alike: a page number past the highest accepted
//! (`page=9223372036854775807` used to make a negative OFFSET and a 500) is refused naming
//! `page`, and the highest accepted page answers (empty) as any page past the end does.

use crate::support::TestApp;

/// Every paged list: (path, whether it is the JSON API). The API answers a bad page with a
/// 422; a list page with filters shows it beside the filters it came from (200), as it does
/// for any bad filter, and one without them answers 422.
const PAGED: &[(&str, bool)] = &[
    ("/learning", false),
    ("/api/v1/courses", true),
    ("/opportunities", false),
    ("/api/v1/opportunities", true),
    ("/hr/people", false),
    ("/api/v1/hr/people", true),
    ("/hr/moves", false),
    ("/api/v1/hr/moves", true),
    ("/hr/skills", false),
    ("/api/v1/hr/skills", true),
];

#[tokio::test]
async fn a_page_past_the_highest_is_refused_naming_page_on_every_paged_list() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    for &(path, api) in PAGED {
        let get = |query: String| {
            let url = format!("{path}?{query}");
            let hr = &hr;
            async move {
                let r = if api {
                    hr.get_json(&url).await
                } else {
                    hr.get(&url).await
                };
                let status = r.status().as_u16();
                (status, r.text().await.unwrap())
            }
        };
        for bad in [
            "9223372036854775807",
            "-9223372036854775808",
            "99999999999999999999",
            "1000001",
            "0",
        ] {
            let (status, body) = get(format!("page={bad}")).await;
            if api {
                assert_eq!(status, 422, "{path}?page={bad}: {body}");
            } else {
                assert!(
                    [200, 422].contains(&status),
                    "{path}?page={bad}: {status} {body}"
                );
            }
            assert!(
                body.contains("must be a whole number from 1 to 1000000"),
                "{path}?page={bad} says what is allowed: {body}"
            );
            if api {
                assert!(
                    body.contains("\"/page\""),
                    "{path}?page={bad} names page: {body}"
                );
            }
        }
        let (status, body) = get("page=10000".into()).await;
        assert_eq!(status, 200, "{path}?page=10000: {body}");
    }
}

#[tokio::test]
async fn scim_start_index_at_the_largest_number_answers_an_empty_page() {
    let scim = crate::scim::Scim::new().await;
    for path in [
        "/Users?startIndex=9223372036854775807&count=10",
        "/Groups?startIndex=9223372036854775807&count=10",
        "/Users?startIndex=-9223372036854775808&count=9223372036854775807",
    ] {
        let (status, body) = scim.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
}
