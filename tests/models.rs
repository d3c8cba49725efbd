//! The generated models against bodies of the real server: later versions' fields and values,
//! nulls, missing optional fields, and secrets kept out of `Debug`.

mod common;

use serde_json::{json, Value};
use vbazure::types::{JobSession, JobSessionLog, JobSessionPage, Token, TokenRequest};
use vbazure::{SessionStatus, SessionType, TimeSpan};

fn decode<T: serde::de::DeserializeOwned>(body: &Value) -> T {
    serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("does not decode: {e}\n{body:#}"))
}

fn encode(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("models always encode")
}

/// The later-version session of the reference, as it sits inside a v3 page.
fn v3_session() -> Value {
    json!({
        "id": "60a7fe13-6155-460b-8beb-42c3243fef05", "type": "AutoBackup", "localizedType": "Auto Backup",
        "executionStartTime": "2020-11-23T08:00:03.629258Z", "executionStopTime": "2020-11-23T08:00:35.466351Z",
        "executionDuration": "00:00:31.8370930", "status": "Success", "usn": 518,
        "_links": {
            "self": {"href": "https://51.11.247.127/api/v3/jobSessions/60a7fe13-6155-460b-8beb-42c3243fef05"},
            "log": {"href": "https://51.11.247.127/api/v3/jobSessions/60a7fe13-6155-460b-8beb-42c3243fef05/log"}
        },
        "_embeddedResources": {}
    })
}

#[test]
fn a_later_versions_session_decodes_and_keeps_its_known_parts() {
    let body = v3_session();
    let session: JobSession = decode(&body);
    assert_eq!(session.type_, SessionType::AutoBackup);
    assert_eq!(
        session.execution_duration,
        TimeSpan::from_ticks(318_370_930)
    );
    assert!(session.is_finished());

    let mut known = body.clone();
    known.as_object_mut().unwrap().remove("_embeddedResources");
    assert_eq!(
        encode(&session),
        known,
        "unknown fields are dropped, known ones unchanged"
    );
}

#[test]
fn unknown_status_type_fields_and_nulls_decode_and_reencode_unchanged() {
    let mut body = v3_session();
    let fields = body.as_object_mut().unwrap();
    fields.insert("status".into(), json!("Paused"));
    fields.insert("type".into(), json!("ArchiveRetention"));
    fields.insert("executionStopTime".into(), Value::Null);
    fields.insert("localizedType".into(), Value::Null);
    fields.insert("backupJobInfo".into(), Value::Null);
    fields.insert(
        "restoreJobInfo".into(),
        json!({"restorePointId": "rp-1", "extra": [1, 2]}),
    );
    fields.insert("someFutureField".into(), json!({"nested": true}));
    fields["_links"]["self"]["method"] = json!("GET");

    let session: JobSession = decode(&body);
    assert_eq!(session.status.as_str(), "Paused");
    assert!(!session.status.is_known());
    assert_eq!(session.type_.as_str(), "ArchiveRetention");
    assert_eq!(session.execution_stop_time, None);
    assert!(
        !session.is_finished(),
        "an unknown status without a stop time is still running"
    );

    let encoded = encode(&session);
    assert_eq!(encoded["status"], "Paused");
    assert_eq!(encoded["type"], "ArchiveRetention");
    assert_eq!(
        encoded["restoreJobInfo"],
        json!({"restorePointId": "rp-1", "extra": [1, 2]})
    );
    for dropped in [
        "someFutureField",
        "_embeddedResources",
        "executionStopTime",
        "localizedType",
        "backupJobInfo",
    ] {
        assert!(
            encoded.get(dropped).is_none(),
            "{dropped} should be left out: {encoded:#}"
        );
    }
    assert_eq!(
        encoded["_links"]["self"],
        json!({"href": body["_links"]["self"]["href"]})
    );
    for kept in ["id", "executionStartTime", "executionDuration", "usn"] {
        assert_eq!(encoded[kept], body[kept], "{kept}");
    }
}

#[test]
fn optional_fields_may_be_missing() {
    let session: JobSession = decode(&json!({
        "id": "7", "type": "BackupDeletion", "executionStartTime": "2020-02-03T13:53:00Z",
        "executionDuration": "00:00:00", "status": "Pending", "usn": 0, "_links": {}
    }));
    assert_eq!(session.localized_type, None);
    assert_eq!(session.backup_job_info, None);

    let log: JobSessionLog = decode(&json!({"jobSessionId": "7", "log": [
        {"logTime": "2020-02-03T13:53:00Z", "status": "Warning", "message": "m"},
        {"logTime": "2020-02-03T13:53:01Z", "status": "SomethingNew", "message": "n",
         "executionStartTime": null, "executionDuration": null}
    ]}));
    assert_eq!(log.log[0].execution_duration, None);
    assert_eq!(log.log[1].status.as_str(), "SomethingNew");

    let token: Token = decode(
        &json!({"access_token": "a", "token_type": "bearer", "expires_in": 3600,
        "refresh_token": null, "userId": "u-1", "mfa_enabled": false}),
    );
    assert!(token.refresh_token.is_none());
}

#[test]
fn a_page_with_later_sessions_decodes() {
    let page: JobSessionPage = decode(&json!({
        "offset": 0, "limit": 30, "totalCount": 1, "results": [v3_session()],
        "_links": {"self": {"href": "https://x/api/v3/jobSessions?offset=0&limit=30"}},
        "_embeddedResources": {}
    }));
    assert_eq!(page.results.len(), 1);
    assert_eq!(page.results[0].usn, 518);
}

#[test]
fn documented_examples_have_typed_times_and_durations() {
    let seed: JobSession = decode(&common::example("deleteBackups.200"));
    assert_eq!(seed.execution_duration.ticks(), 837_798);
    assert_eq!(
        seed.execution_duration.to_std(),
        Some(std::time::Duration::from_nanos(83_779_800))
    );
    assert_eq!(
        seed.execution_start_time
            .as_datetime()
            .timestamp_subsec_nanos(),
        409_814_300
    );

    let log: JobSessionLog = decode(&common::example("getJobSessionLog.200"));
    assert_eq!(
        log.log[0].execution_duration.map(TimeSpan::ticks),
        Some(1_538_496_840)
    );
    assert_eq!(log.log[0].status, SessionStatus::Success);
}

#[test]
fn is_finished_follows_known_final_states_then_the_stop_time() {
    let with = |status: &str, stopped: bool| {
        let mut body = common::example("deleteBackups.200");
        body["status"] = json!(status);
        if stopped {
            body["executionStopTime"] = json!("2020-02-03T13:53:31Z");
        }
        decode::<JobSession>(&body).is_finished()
    };
    for terminal in ["Success", "Warning", "Error", "Canceled", "NeverExecuted"] {
        assert!(with(terminal, false), "{terminal}");
    }
    for running in [
        "Running",
        "Pending",
        "Canceling",
        "RunningWithError",
        "RunningWithWarning",
    ] {
        assert!(!with(running, false), "{running}");
        // A known running state is trusted even if a stop time is already set.
        assert!(!with(running, true), "{running} with a stop time");
    }
    for unknown in ["Unknown", "Paused", "Succeeded", "Failed"] {
        assert!(!with(unknown, false), "{unknown} without a stop time");
        assert!(with(unknown, true), "{unknown} with a stop time");
    }
}

#[test]
fn status_success_and_terminal_rules() {
    assert!(SessionStatus::Success.is_success() && SessionStatus::Success.is_terminal());
    assert!(!SessionStatus::Warning.is_success() && SessionStatus::Warning.is_terminal());
    // AWS's names are not this product's: they are not recognised as final.
    for aws in ["Succeeded", "Failed"] {
        let status = SessionStatus::from(aws);
        assert!(
            !status.is_known() && !status.is_terminal() && !status.is_success(),
            "{aws}"
        );
    }
}

/// The hand-written open enums list exactly the values the spec documents, in its order.
#[test]
fn open_enums_match_the_spec() {
    let listed = |schema: &str| -> Vec<String> {
        let pointer = format!("/components/schemas/{schema}/enum");
        let values = common::spec()
            .get(&pointer)
            .and_then(Value::as_array)
            .expect("an enum");
        values
            .iter()
            .map(|v| v.as_str().expect("string values").to_string())
            .collect()
    };
    let status: Vec<String> = SessionStatus::KNOWN
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    assert_eq!(status, listed("SessionStatus"));
    let types: Vec<String> = SessionType::KNOWN
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    assert_eq!(types, listed("SessionType"));
    for value in SessionStatus::KNOWN {
        assert_eq!(&SessionStatus::from(value.as_str()), value);
        assert_eq!(value.to_string(), value.as_str());
    }
    for value in SessionType::KNOWN {
        assert_eq!(&value.as_str().parse::<SessionType>().unwrap(), value);
    }
}

#[test]
fn debug_never_shows_passwords_or_tokens() {
    let request: TokenRequest = decode(&json!({
        "grant_type": "Password", "Username": "administrator", "Password": "pa55-SECRET-word",
        "refresh_token": "refresh-SECRET", "mfa_token": "mfa-SECRET", "mfa_code": "123456"
    }));
    let token: Token = decode(&json!({
        "access_token": "access-SECRET", "token_type": "bearer", "expires_in": 3600,
        "refresh_token": "refresh-SECRET-2", ".expires": "2021-10-04T15:57:38.1791726Z"
    }));
    for shown in [
        format!("{request:?}"),
        format!("{request:#?}"),
        format!("{token:?}"),
        format!("{token:#?}"),
    ] {
        assert!(
            !shown.contains("SECRET") && !shown.contains("123456"),
            "a secret leaked: {shown}"
        );
        assert!(shown.contains(vbazure::Secret::REDACTED), "{shown}");
    }
    assert!(
        format!("{request:?}").contains("administrator"),
        "non-secret fields stay readable"
    );
    // Encoding (what is sent) keeps the values.
    assert_eq!(encode(&request)["Password"], "pa55-SECRET-word");
    assert_eq!(token.access_token.expose_secret(), "access-SECRET");
}
