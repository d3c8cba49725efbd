//! The README's example program runs the documented flow to its end.

#[path = "../examples/delete_backups.rs"]
#[allow(dead_code)]
mod example;

#[tokio::test]
async fn the_example_program_deletes_and_follows_the_session() {
    let mut out = Vec::new();
    example::run(None, &mut out)
        .await
        .expect("the flow completes");
    let out = String::from_utf8(out).expect("text");
    let lines: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            "deleteBackups ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy: session 11 BackupDeletion Running",
            "session 11: Running after 0.08s",
            "session 11: Success after 30.62s",
            "finished: Success at 2020-02-03T13:53:31.0301337Z",
        ],
        "{out}"
    );
}
