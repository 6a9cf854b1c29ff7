//! Unit tests for `patch`: RFC 7644 §3.5.2 operations and the quirks of real clients.

use super::*;
use serde_json::json;

const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn patch(ops: Value) -> Value {
    json!({ "schemas": [PATCH_SCHEMA], "Operations": ops })
}

fn user() -> Value {
    json!({ "id": "1", "userName": "ann@example.com", "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "ann@example.com", "type": "work", "primary": true}],
            "active": true, EXT: {"employeeNumber": "7", "department": "Sales"} })
}

#[test]
fn replace_through_a_value_filter_changes_only_the_matching_element() {
    let mut u = user();
    apply(&mut u, &patch(json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "ann@new.example"}])), &[EXT]).unwrap();
    assert_eq!(u["emails"][0]["value"], "ann@new.example");
    assert_eq!(u["emails"][0]["type"], "work");
}

#[test]
fn add_without_path_merges_attributes_and_extension() {
    let mut u = user();
    apply(&mut u, &patch(json!([{"op": "Add", "value": {"displayName": "Annie", "name.familyName": "Park", EXT: {"department": "Ops"}}}])), &[EXT]).unwrap();
    assert_eq!(u["displayName"], "Annie");
    assert_eq!(u["name"]["familyName"], "Park");
    assert_eq!(u[EXT]["department"], "Ops");
    assert_eq!(u[EXT]["employeeNumber"], "7");
}

#[test]
fn replace_and_remove_with_urn_paths_and_sub_attributes() {
    let mut u = user();
    apply(
        &mut u,
        &patch(json!([
            {"op": "replace", "path": format!("{EXT}:manager"), "value": {"value": "42"}},
            {"op": "replace", "path": "active", "value": false},
            {"op": "remove", "path": format!("{EXT}:department")},
            {"op": "replace", "path": "name.givenName", "value": "Anna"}
        ])),
        &[EXT],
    )
    .unwrap();
    assert_eq!(u[EXT]["manager"]["value"], "42");
    assert!(u[EXT].get("department").is_none());
    assert_eq!(u["active"], false);
    assert_eq!(u["name"]["givenName"], "Anna");
}

#[test]
fn remove_with_a_filter_drops_matching_members() {
    let mut g = json!({"displayName": "Ops", "members": [{"value": "a"}, {"value": "b"}]});
    apply(
        &mut g,
        &patch(json!([{"op": "remove", "path": "members[value eq \"a\"]"}])),
        &[],
    )
    .unwrap();
    assert_eq!(g["members"], json!([{"value": "b"}]));
    apply(
        &mut g,
        &patch(json!([{"op": "add", "path": "members", "value": [{"value": "c"}]}])),
        &[],
    )
    .unwrap();
    assert_eq!(g["members"], json!([{"value": "b"}, {"value": "c"}]));
}

#[test]
fn read_only_attributes_missing_targets_and_bad_messages_are_refused() {
    let mut u = user();
    let err = |body: Value, u: &mut Value| apply(u, &body, &[EXT]).unwrap_err().scim_type;
    assert_eq!(
        err(
            patch(json!([{"op": "replace", "path": "id", "value": "2"}])),
            &mut u
        ),
        Some("mutability")
    );
    assert_eq!(
        err(patch(json!([{"op": "remove"}])), &mut u),
        Some("noTarget")
    );
    assert_eq!(
        err(
            patch(
                json!([{"op": "replace", "path": "emails[type eq \"home\"].value", "value": "x"}])
            ),
            &mut u
        ),
        Some("noTarget")
    );
    assert_eq!(
        err(patch(json!([{"op": "move", "path": "active"}])), &mut u),
        Some("invalidSyntax")
    );
    assert_eq!(
        err(json!({"Operations": []}), &mut u),
        Some("invalidSyntax")
    );
    assert_eq!(
        err(
            patch(json!([{"op": "replace", "path": "emails[type eq]", "value": 1}])),
            &mut u
        ),
        Some("invalidFilter")
    );
}

#[test]
fn operation_names_are_case_insensitive_as_entra_sends_them() {
    let mut u = user();
    apply(
        &mut u,
        &patch(json!([
            {"op": "Replace", "path": "displayName", "value": "Annie"},
            {"op": "ADD", "path": "nickName", "value": "An"},
            {"op": "Remove", "path": format!("{EXT}:department")}
        ])),
        &[EXT],
    )
    .unwrap();
    assert_eq!(u["displayName"], "Annie");
    assert_eq!(u["nickName"], "An");
    assert!(u[EXT].get("department").is_none());
}

#[test]
fn replace_without_path_takes_fully_qualified_extension_keys_and_string_booleans() {
    let mut u = user();
    apply(
        &mut u,
        &patch(json!([{"op": "Replace", "value": {
            "active": "False",
            format!("{EXT}:employeeNumber"): "8",
            format!("{EXT}:manager"): "42",
            "name.givenName": "Anna"
        }}])),
        &[EXT],
    )
    .unwrap();
    assert_eq!(u["active"], "False", "users::input reads string booleans");
    assert_eq!(u[EXT]["employeeNumber"], "8");
    assert_eq!(u[EXT]["manager"], "42");
    assert_eq!(u[EXT]["department"], "Sales");
    assert_eq!(u["name"], json!({"givenName": "Anna", "familyName": "Lee"}));
}

#[test]
fn remove_with_a_value_list_drops_only_those_members() {
    let mut g =
        json!({"displayName": "Ops", "members": [{"value": "a"}, {"value": "b"}, {"value": "c"}]});
    apply(
        &mut g,
        &patch(json!([{"op": "Remove", "path": "members",
            "value": [{"$ref": null, "value": "a"}, {"value": "c"}, {"value": "zz"}]}])),
        &[],
    )
    .unwrap();
    assert_eq!(g["members"], json!([{"value": "b"}]));
    apply(
        &mut g,
        &patch(json!([{"op": "remove", "path": "members"}])),
        &[],
    )
    .unwrap();
    assert!(
        g.get("members").is_none(),
        "without a value, the whole attribute goes"
    );
}

#[test]
fn a_path_whose_only_closing_bracket_comes_before_the_opening_one_is_an_invalid_path() {
    // Found by the scim_patch_path fuzz target: this sliced the path backwards and panicked.
    for path in ["emails]x[", "a]b[c", "]["] {
        let mut u = user();
        let e = apply(
            &mut u,
            &patch(json!([{"op": "replace", "path": path, "value": "x"}])),
            &[EXT],
        )
        .unwrap_err();
        assert_eq!(e.scim_type, Some("invalidPath"), "{path}: {}", e.detail);
    }
}

#[test]
fn add_through_a_filter_that_matches_nothing_creates_the_described_element() {
    let mut u = user();
    let ops = json!([
        {"op": "add", "path": "emails[type eq \"home\"].value", "value": "ann@home.example"},
        {"op": "add", "path": "addresses[type eq \"work\" and primary eq true].locality", "value": "Oslo"},
        {"op": "add", "path": "phoneNumbers[type eq \"mobile\"]", "value": {"value": "+47 1"}}
    ]);
    apply(&mut u, &patch(ops), &[EXT]).unwrap();
    assert_eq!(
        u["emails"][1],
        json!({"type": "home", "value": "ann@home.example"})
    );
    assert_eq!(
        u["addresses"],
        json!([{"type": "work", "primary": true, "locality": "Oslo"}])
    );
    assert_eq!(
        u["phoneNumbers"],
        json!([{"type": "mobile", "value": "+47 1"}])
    );

    // a filter that does not describe one element is still noTarget
    let ops = json!([{"op": "add", "path": "emails[type sw \"zz\"].value", "value": "x"}]);
    let mut u = user();
    let e = apply(&mut u, &patch(ops), &[EXT]).unwrap_err();
    assert_eq!(e.scim_type, Some("noTarget"));
}

#[test]
fn the_bare_extension_urn_is_a_path_to_the_whole_extension() {
    let mut u = user();
    let ops = json!([{"op": "replace", "path": EXT, "value": {"department": "Ops"}}]);
    apply(&mut u, &patch(ops), &[EXT]).unwrap();
    assert_eq!(u[EXT], json!({"employeeNumber": "7", "department": "Ops"}));
    apply(
        &mut u,
        &patch(json!([{"op": "remove", "path": EXT}])),
        &[EXT],
    )
    .unwrap();
    assert_eq!(u[EXT], json!({}));
}

#[test]
fn a_read_only_attribute_sent_with_its_current_value_changes_nothing() {
    let mut u = user();
    let ops = json!([{"op": "replace", "value": {"id": "1", "displayName": "Annie"}}]);
    apply(&mut u, &patch(ops), &[EXT]).unwrap();
    assert_eq!(u["displayName"], "Annie");
    let ops = json!([{"op": "replace", "value": {"id": "2"}}]);
    let e = apply(&mut u, &patch(ops), &[EXT]).unwrap_err();
    assert_eq!(e.scim_type, Some("mutability"));
}
