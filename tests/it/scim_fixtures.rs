//! The provisioning sequences Okta and Entra ID send, kept as fixtures in
//! `tests/fixtures/scim/` and replayed in order: each step's status and the fields it names
//! must come back as written. `${name}` in a path, body or expected value is a value saved by
//! an earlier step's `save` (a JSON pointer into its answer).

use std::collections::HashMap;

use reqwest::Method;
use serde_json::Value;

use crate::scim::Scim;

fn substitute(text: &str, saved: &HashMap<String, String>) -> String {
    saved.iter().fold(text.to_string(), |t, (k, v)| {
        t.replace(&format!("${{{k}}}"), v)
    })
}

fn substitute_json(v: &Value, saved: &HashMap<String, String>) -> Value {
    serde_json::from_str(&substitute(&v.to_string(), saved)).unwrap()
}

async fn replay(file: &str) {
    let path = format!("{}/tests/fixtures/scim/{file}", env!("CARGO_MANIFEST_DIR"));
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let scim = Scim::new().await;
    let mut saved = HashMap::new();
    for (n, step) in fixture["steps"].as_array().unwrap().iter().enumerate() {
        let name = format!("{file} step {} ({})", n + 1, step["step"].as_str().unwrap());
        let method = Method::from_bytes(step["method"].as_str().unwrap().as_bytes()).unwrap();
        let url = substitute(step["path"].as_str().unwrap(), &saved);
        let body = step.get("body").map(|b| substitute_json(b, &saved));
        let (status, answer) = scim.call(method, &url, body).await;
        assert_eq!(status, step["status"], "{name}: {answer}");
        if let Some(expect) = step.get("expect").and_then(Value::as_object) {
            for (pointer, want) in expect {
                let want = substitute_json(want, &saved);
                assert_eq!(
                    answer.pointer(pointer),
                    Some(&want),
                    "{name}: {pointer} in {answer}"
                );
            }
        }
        if let Some(save) = step.get("save").and_then(Value::as_object) {
            for (key, pointer) in save {
                let value = answer
                    .pointer(pointer.as_str().unwrap())
                    .and_then(Value::as_str);
                saved.insert(
                    key.clone(),
                    value
                        .unwrap_or_else(|| panic!("{name}: no {pointer}"))
                        .into(),
                );
            }
        }
    }
}

#[tokio::test]
async fn okta_provisioning_sequence_replays_with_the_expected_answers() {
    replay("okta.json").await;
}

#[tokio::test]
async fn entra_provisioning_sequence_replays_with_the_expected_answers() {
    replay("entra.json").await;
}
