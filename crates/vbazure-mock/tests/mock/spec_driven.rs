//! The mock serves what the spec documents: one more operation with an example in the spec is
//! served with no code change.

use serde_json::json;
use vbazure_mock::{MockAppliance, SPEC};

const EXTRA: &str = r##"  /api/v1/virtualMachines/{id}/deleteSnapshots:
    post:
      operationId: deleteSnapshots
      summary: Remove all snapshots of a virtual machine
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: The deletion session was started.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/JobSession"
              example:
                id: "8"
                type: SnapshotDeletion
                executionStartTime: "2020-02-03T13:29:35.916115Z"
                executionDuration: "00:00:00.0500000"
                status: Running
                usn: 0
                _links: {}
"##;

#[tokio::test]
async fn an_operation_added_to_the_spec_is_served_from_its_example() {
    let spec = SPEC.replacen(
        "  /api/v1/jobSessions:\n",
        &format!("{EXTRA}  /api/v1/jobSessions:\n"),
        1,
    );
    assert_ne!(spec, SPEC, "the new operation went into the spec");
    let mock = MockAppliance::builder()
        .spec_text(spec)
        .start()
        .await
        .expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    let http = crate::support::http();
    let url = format!("{}/api/v1/virtualMachines/vm-1/deleteSnapshots", mock.url());

    let unauthenticated = http.post(&url).send().await.expect("answers");
    assert_eq!(
        unauthenticated.status(),
        401,
        "the spec's global security applies to it"
    );

    let token = crate::support::access_token(mock.url()).await;
    let response = http
        .post(&url)
        .bearer_auth(token)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["type"], json!("SnapshotDeletion"));
    assert_eq!(
        body["executionStartTime"],
        json!("2020-02-03T13:29:35.916115Z")
    );
    // The operations the mock keeps state for still work beside it.
    appliance
        .delete_backups("vm-1")
        .send()
        .await
        .expect("deleteBackups still served");
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn the_mock_refuses_a_non_loopback_address() {
    let error = MockAppliance::builder()
        .address("0.0.0.0:0".parse().expect("an address"))
        .start()
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("loopback only"), "{error}");
}

#[tokio::test]
async fn an_answer_that_breaks_the_spec_is_caught_not_sent() {
    // The same operation, with an example whose status is not a string.
    let broken = EXTRA.replace("status: Running", "status: 7");
    let spec = SPEC.replacen(
        "  /api/v1/jobSessions:\n",
        &format!("{broken}  /api/v1/jobSessions:\n"),
        1,
    );
    let mock = MockAppliance::builder()
        .spec_text(spec)
        .start()
        .await
        .expect("starts");
    let http = crate::support::http();
    let token = crate::support::access_token(mock.url()).await;
    let response = http
        .post(format!(
            "{}/api/v1/virtualMachines/vm-1/deleteSnapshots",
            mock.url()
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 500);
    let violations = mock.violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        violations[0].contains("deleteSnapshots 200") && violations[0].contains("/status"),
        "{violations:?}"
    );
}
