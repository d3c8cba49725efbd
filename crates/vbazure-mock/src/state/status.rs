//! The statuses a session takes, as the API writes them.

use crate::config::FinalStatus;

/// The session statuses the mock uses, of those the spec's `SessionStatus` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
pub(crate) enum Status {
    Running,
    Canceling,
    Canceled,
    Success,
    Warning,
    Error,
}

impl Status {
    /// As the API writes it.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }

    pub(super) fn is_final(self) -> bool {
        !matches!(self, Self::Running | Self::Canceling)
    }
}

impl From<FinalStatus> for Status {
    fn from(status: FinalStatus) -> Self {
        match status {
            FinalStatus::Success => Self::Success,
            FinalStatus::Warning => Self::Warning,
            FinalStatus::Error => Self::Error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_written_as_the_api_does() {
        let written: Vec<&str> = [
            Status::Running,
            Status::Canceling,
            Status::Canceled,
            Status::Success,
            Status::Warning,
            Status::Error,
        ]
        .into_iter()
        .map(Status::as_str)
        .collect();
        assert_eq!(
            written,
            [
                "Running",
                "Canceling",
                "Canceled",
                "Success",
                "Warning",
                "Error"
            ]
        );
        for status in written {
            for spec in [crate::SPEC, crate::SPEC_V8_1] {
                assert!(
                    spec.contains(&format!("        - {status}\n")),
                    "{status} is a documented SessionStatus"
                );
            }
        }
    }
}
