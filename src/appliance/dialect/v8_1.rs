//! API v8.1 (`openapi-v8.1.yaml`): the flow as today's appliances serve it, with backup tiers,
//! session filters and per-resource logs. A deletion with nothing to remove answers 204.

use super::{Call, Dialect, Step};
use crate::appliance::window::Window;
use crate::appliance::{DeleteOutcome, Session, SessionFilter, SessionLog, SessionPage};
use crate::operations::v8_1 as ops;
use crate::transport::{path_segment, send};
use crate::v8_1::types::{BackupTier, DeleteVirtualMachineBackupsAnswer};
use crate::v8_1::Client;

impl Dialect for Client {
    fn operation(&self, step: Step) -> &'static str {
        match step {
            Step::DeleteBackups => ops::DELETE_VIRTUAL_MACHINE_BACKUPS,
            Step::GetJobSession => ops::GET_JOB_SESSION,
            Step::GetJobSessionLog => ops::GET_JOB_SESSION_LOG,
            Step::StopJobSession => ops::STOP_JOB_SESSION,
            Step::ListJobSessions => ops::LIST_JOB_SESSIONS,
        }
    }

    fn filters_sessions(&self) -> bool {
        true
    }

    fn delete_backups<'a>(
        &'a self,
        vm_id: &'a str,
        tier: Option<BackupTier>,
    ) -> Call<'a, DeleteOutcome> {
        Box::pin(async move {
            let operation = self.operation(Step::DeleteBackups);
            path_segment::check(operation, "VM id", vm_id)?;
            let mut request = self.delete_virtual_machine_backups().id(vm_id);
            if let Some(tier) = tier {
                request = request.backup_tier(tier);
            }
            Ok(match send(operation, request.send_answer()).await? {
                DeleteVirtualMachineBackupsAnswer::Accepted(session) => {
                    DeleteOutcome::Started(session.into())
                }
                DeleteVirtualMachineBackupsAnswer::NoContent => DeleteOutcome::NothingToDelete,
            })
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
            let mut request = self.get_job_session_log().session_id(session_id);
            if let Some(resource) = resource_id {
                request = request.instance_id(resource);
            }
            Ok(send(self.operation(Step::GetJobSessionLog), request.send())
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
            let request = self
                .list_job_sessions()
                .offset(window.offset)
                .limit(window.limit_i32);
            let request = match filter {
                Some(filter) => filter.apply(request),
                None => request,
            };
            Ok(send(self.operation(Step::ListJobSessions), request.send())
                .await?
                .into())
        })
    }
}
