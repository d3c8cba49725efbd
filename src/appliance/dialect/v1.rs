//! API v1 (`openapi.yaml`): the flow as the seed appliance serves it. It has no backup tiers,
//! session filters or per-resource logs; asking for one fails before anything is sent.

use super::{Call, Dialect, Step};
use crate::appliance::window::Window;
use crate::appliance::{not_in_v1, DeleteOutcome, Session, SessionFilter, SessionLog, SessionPage};
use crate::operations::v1 as ops;
use crate::transport::{path_segment, send};
use crate::v1::Client;
use crate::v8_1::types::BackupTier;

impl Dialect for Client {
    fn operation(&self, step: Step) -> &'static str {
        match step {
            Step::DeleteBackups => ops::DELETE_BACKUPS,
            Step::GetJobSession => ops::GET_JOB_SESSION,
            Step::GetJobSessionLog => ops::GET_JOB_SESSION_LOG,
            Step::StopJobSession => ops::STOP_JOB_SESSION,
            Step::ListJobSessions => ops::LIST_JOB_SESSIONS,
        }
    }

    fn filters_sessions(&self) -> bool {
        false
    }

    fn delete_backups<'a>(
        &'a self,
        vm_id: &'a str,
        tier: Option<BackupTier>,
    ) -> Call<'a, DeleteOutcome> {
        Box::pin(async move {
            if tier.is_some() {
                return Err(not_in_v1(
                    self.operation(Step::DeleteBackups),
                    "a backup tier",
                ));
            }
            path_segment::check(self.operation(Step::DeleteBackups), "VM id", vm_id)?;
            let session = send(
                self.operation(Step::DeleteBackups),
                self.delete_backups().id(vm_id).send(),
            )
            .await?;
            Ok(DeleteOutcome::Started(session.into()))
        })
    }

    alike_in_every_version!();

    fn job_session_log<'a>(
        &'a self,
        session_id: &'a str,
        resource_id: Option<&'a str>,
    ) -> Call<'a, SessionLog> {
        Box::pin(async move {
            path_segment::check(
                self.operation(Step::GetJobSessionLog),
                "session id",
                session_id,
            )?;
            if resource_id.is_some() {
                return Err(not_in_v1(
                    self.operation(Step::GetJobSessionLog),
                    "a log for one resource",
                ));
            }
            let call = self.get_job_session_log().session_id(session_id).send();
            Ok(send(self.operation(Step::GetJobSessionLog), call)
                .await?
                .into())
        })
    }

    fn job_sessions_page<'a>(
        &'a self,
        window: Window,
        filter: Option<&'a SessionFilter>,
    ) -> Call<'a, SessionPage> {
        Box::pin(async move {
            if filter.is_some_and(|f| !f.is_empty()) {
                return Err(not_in_v1(
                    self.operation(Step::ListJobSessions),
                    "session filters",
                ));
            }
            let call = self
                .list_job_sessions()
                .offset(window.offset)
                .limit(window.limit)
                .send();
            Ok(send(self.operation(Step::ListJobSessions), call)
                .await?
                .into())
        })
    }
}
