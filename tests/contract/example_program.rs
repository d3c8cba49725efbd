//! The library example runs the documented flow to its end.

#[path = "../../examples/delete_backups.rs"]
#[allow(dead_code)]
mod example;

#[tokio::test]
async fn the_example_program_deletes_and_follows_the_session() {
    let mut out = Vec::new();
    example::run(Some("vm-42"), &mut out)
        .await
        .expect("the flow completes");
    let out = String::from_utf8(out).expect("text");
    let lines: Vec<&str> = out.lines().skip(1).collect();
    // The mock serves both versions: the client speaks the newest, v8.1, whose session ids are
    // UUIDs.
    let first = lines[0];
    assert!(
        first.starts_with("deleteBackups vm-42 (API v8.1): session ")
            && first.ends_with(" BackupDeletion Running"),
        "{out}"
    );
    let id = first
        .trim_start_matches("deleteBackups vm-42 (API v8.1): session ")
        .trim_end_matches(" BackupDeletion Running");
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(
        lines[1..3],
        [
            format!("session {id}: Running"),
            format!("session {id}: Success")
        ],
        "{out}"
    );
    assert!(lines[3].starts_with("finished: Success after "), "{out}");
    // The mock names the VM it was given as web-01.
    assert!(
        lines.contains(&"log: Success Backups of web-01 have been removed"),
        "{out}"
    );
}
