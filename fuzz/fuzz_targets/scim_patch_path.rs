//! SCIM PATCH (`PATCH /scim/v2/Users/{id}`): any path (`emails[type eq "work"].value`), and any
//! whole PatchOp message, is applied or refused with a SCIM error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use trellis::scim::patch::{self, PATCH_SCHEMA};
use trellis::scim::ENTERPRISE_USER;

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE_USER],
        "id": "1", "userName": "ann@example.com", "active": true,
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"type": "work", "value": "ann@example.com", "primary": true},
                   {"type": "home", "value": "ann@home.example"}],
        "members": [{"value": "a"}, {"value": "b"}],
        ENTERPRISE_USER: {"employeeNumber": "7", "department": "Ops"}
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for op in ["add", "replace", "remove"] {
        for value in [json!("x"), json!({"value": "v", "type": "work"}), json!([{"value": "a"}])] {
            let message = json!({"schemas": [PATCH_SCHEMA],
                                 "Operations": [{"op": op, "path": text, "value": value}]});
            let mut resource = user();
            let _ = patch::apply(&mut resource, &message, &[ENTERPRISE_USER]);
        }
    }
    // The input as a whole message, when it is JSON.
    if let Ok(message) = serde_json::from_str::<Value>(text) {
        let mut resource = user();
        let _ = patch::apply(&mut resource, &message, &[ENTERPRISE_USER]);
    }
});
