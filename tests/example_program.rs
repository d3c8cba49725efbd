//! The library example runs the documented flow to its end.

#[path = "../examples/delete_backups.rs"]
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
    assert_eq!(
        lines[0], "deleteBackups vm-42 (API v1): session 1 BackupDeletion Running",
        "{out}"
    );
    assert_eq!(
        lines[1..3],
        ["session 1: Running", "session 1: Success"],
        "{out}"
    );
    assert!(lines[3].starts_with("finished: Success after "), "{out}");
    assert!(
        lines.contains(&"log: Success Backups of virtual machine vm-42 have been removed"),
        "{out}"
    );
}
