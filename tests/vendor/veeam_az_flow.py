#!/usr/bin/env python3
"""The flow of vbazure, driven by a client nobody here wrote, against the mock appliance.

The client is `veeam-az` from PyPI: a Python package generated (with openapi-python-client) from
the vendor's own v8.1 OpenAPI document. Its models parse every answer strictly against that
document: an enum member the document does not list, a `null` where it declares a value, or a
status it does not document makes a call fail here. A failure therefore means the mock (and so
the tests built on it) has drifted from the appliance's published contract.

Usage: veeam_az_flow.py BASE_URL [PASSWORD]   (exits 0 when every step passed, 1 otherwise)
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from veeam_az.v8_1.api.job_sessions import (
    job_sessions_get_job_session_by_id,
    job_sessions_get_job_session_log,
    job_sessions_get_job_sessions,
    job_sessions_stop_job,
)
from veeam_az.v8_1.api.login import login_authenticate, login_logout
from veeam_az.v8_1.api.protected_virtual_machine import (
    protected_virtual_machine_delete_virtual_machine_backups as delete_one,
    protected_virtual_machine_delete_virtual_machine_backups_batch as delete_batch,
    protected_virtual_machine_get_protected_item_by_id as get_vm,
    protected_virtual_machine_get_protected_item_page as list_vms,
)
from veeam_az.v8_1.api.system import system_get_about
from veeam_az.v8_1.client import AuthenticatedClient, Client
from veeam_az.v8_1.models.grant_type import GrantType
from veeam_az.v8_1.models.job_session import JobSession
from veeam_az.v8_1.models.job_session_filter_type import JobSessionFilterType
from veeam_az.v8_1.models.job_session_log import JobSessionLog
from veeam_az.v8_1.models.job_status import JobStatus
from veeam_az.v8_1.models.login import Login
from veeam_az.v8_1.models.login_from_client import LoginFromClient
from veeam_az.v8_1.models.page_of_job_session import PageOfJobSession
from veeam_az.v8_1.models.page_of_protected_virtual_machine import (
    PageOfProtectedVirtualMachine,
)
from veeam_az.v8_1.models.problem_details_401 import ProblemDetails401
from veeam_az.v8_1.models.problem_details_404 import ProblemDetails404
from veeam_az.v8_1.models.protected_data_backup_tier import ProtectedDataBackupTier
from veeam_az.v8_1.models.protected_data_batch_delete_backup_config import (
    ProtectedDataBatchDeleteBackupConfig,
)
from veeam_az.v8_1.models.protected_virtual_machine import ProtectedVirtualMachine
from veeam_az.v8_1.models.system_info import SystemInfo


class StepFailed(Exception):
    """A step got an answer other than the one the vendor's document promises."""


def expect(response: Any, statuses: tuple[int, ...], parsed_type: type | None) -> Any:
    """The parsed answer, once its status is one of `statuses` and it parsed as `parsed_type`."""
    status = int(response.status_code)
    if status not in statuses:
        raise StepFailed(f"status {status} (expected {statuses}): {response.content[:300]!r}")
    if parsed_type is not None and status not in (204,) and not isinstance(response.parsed, parsed_type):
        raise StepFailed(
            f"status {status} parsed as {type(response.parsed).__name__}, not {parsed_type.__name__}"
        )
    return response.parsed


def every_model_field_read(value: Any) -> None:
    """Walks a parsed model so lazily read members are converted too (`to_dict` reads them all)."""
    if hasattr(value, "to_dict"):
        value.to_dict()


class Flow:
    def __init__(self, base_url: str, password: str) -> None:
        self.base_url = base_url
        self.password = password
        # Undocumented statuses raise instead of parsing to None.
        self.anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
        self.client: AuthenticatedClient | None = None
        self.vm_ids: list[str] = []
        self.session_ids: list[str] = []
        self.passed = 0
        self.failed = 0

    def authed(self) -> AuthenticatedClient:
        if self.client is None:
            raise StepFailed("no token: the login step did not pass")
        return self.client

    def step(self, name: str, run: Callable[[], str]) -> None:
        try:
            detail = run()
        except Exception as error:  # every failure of a step is reported, and the flow goes on
            self.failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}")
            if not isinstance(error, StepFailed):
                traceback.print_exc(limit=3)
            return
        self.passed += 1
        print(f"ok   {name}: {detail}")

    def login(self) -> str:
        # The model spells the fields as the vendor's schema does (lower case `username`).
        body = LoginFromClient(
            grant_type=GrantType.PASSWORD, username="administrator", password=self.password
        )
        token = expect(login_authenticate.sync_detailed(client=self.anonymous, body=body), (200,), Login)
        if not token.access_token:
            raise StepFailed("the token answer has no access_token")
        self.client = AuthenticatedClient(
            base_url=self.base_url, token=token.access_token, raise_on_unexpected_status=True
        )
        return f"token for {token.username!r}, expires in {token.expires_in} s"

    def about(self) -> str:
        info = expect(system_get_about.sync_detailed(client=self.authed()), (200,), SystemInfo)
        return f"server {info.server_version}"

    def protected_vms(self) -> str:
        page = expect(
            list_vms.sync_detailed(client=self.authed(), offset=0, limit=100),
            (200,),
            PageOfProtectedVirtualMachine,
        )
        every_model_field_read(page)
        self.vm_ids = [vm.id for vm in page.results if isinstance(vm.id, str)]
        if len(self.vm_ids) < 3:
            raise StepFailed(f"{len(self.vm_ids)} VMs with an id, the flow needs 3")
        return f"{len(page.results)} VMs of {page.total_count}"

    def searched_vms(self) -> str:
        page = expect(
            list_vms.sync_detailed(client=self.authed(), search_pattern="web", limit=-1),
            (200,),
            PageOfProtectedVirtualMachine,
        )
        every_model_field_read(page)
        return f"{len(page.results)} VMs match 'web'"

    def one_vm(self) -> str:
        vm = expect(get_vm.sync_detailed(self.vm_ids[0], client=self.authed()), (200,), ProtectedVirtualMachine)
        every_model_field_read(vm)
        return f"{vm.name} in {vm.region_name}"

    def unknown_vm(self) -> str:
        problem = expect(
            get_vm.sync_detailed("00000000-0000-4000-8000-00000000dead", client=self.authed()),
            (404,),
            ProblemDetails404,
        )
        return f"404 {problem.title!r}"

    def session_started(self, response: Any) -> str:
        session = expect(response, (202, 204), JobSession)
        if session is None:
            return "204: nothing to delete"
        every_model_field_read(session)
        if not isinstance(session.id, str):
            raise StepFailed("the session has no id to follow")
        self.session_ids.append(session.id)
        return f"session {session.id} {session.status.value}"

    def delete_one(self) -> str:
        return self.session_started(delete_one.sync_detailed(self.vm_ids[0], client=self.authed()))

    def delete_one_in_tier(self) -> str:
        return self.session_started(
            delete_one.sync_detailed(
                self.vm_ids[1], client=self.authed(), backup_tier=ProtectedDataBackupTier.ARCHIVE
            )
        )

    def delete_batch(self) -> str:
        body = ProtectedDataBatchDeleteBackupConfig(ids=self.vm_ids[1:3])
        return self.session_started(delete_batch.sync_detailed(client=self.authed(), body=body))

    def sessions_filtered(self) -> str:
        since = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=1)
        page = expect(
            job_sessions_get_job_sessions.sync_detailed(
                client=self.authed(),
                offset=0,
                limit=50,
                types=[JobSessionFilterType.POLICYBACKUP, JobSessionFilterType.BACKUPDELETION],
                status=[JobStatus.RUNNING, JobStatus.SUCCESS, JobStatus.WARNING],
                from_utc=since,
            ),
            (200,),
            PageOfJobSession,
        )
        every_model_field_read(page)
        found = {session.id for session in page.results}
        missing = [session_id for session_id in self.session_ids if session_id not in found]
        if missing:
            raise StepFailed(f"the sessions this flow started are not listed: {missing}")
        return f"{len(page.results)} sessions"

    def one_session(self) -> str:
        session = expect(
            job_sessions_get_job_session_by_id.sync_detailed(self.session_ids[0], client=self.authed()),
            (200,),
            JobSession,
        )
        every_model_field_read(session)
        return f"{session.status.value}, ran {session.execution_duration}"

    def session_log(self) -> str:
        log = expect(
            job_sessions_get_job_session_log.sync_detailed(self.session_ids[0], client=self.authed()),
            (200,),
            JobSessionLog,
        )
        every_model_field_read(log)
        return f"{len(log.log or [])} records"

    def stop_running(self) -> str:
        expect(job_sessions_stop_job.sync_detailed(self.session_ids[-1], client=self.authed()), (204,), None)
        return "204"

    def stop_finished(self) -> str:
        # Read until the session is over, then stop it again: the document lists 204 (and errors
        # other than 409) for this operation.
        running = (JobStatus.RUNNING, JobStatus.PENDING, JobStatus.CANCELING)
        for _ in range(20):
            session = expect(
                job_sessions_get_job_session_by_id.sync_detailed(self.session_ids[0], client=self.authed()),
                (200,),
                JobSession,
            )
            if session.status not in running:
                break
        else:
            raise StepFailed(f"the session is still {session.status.value} after 20 reads")
        expect(job_sessions_stop_job.sync_detailed(self.session_ids[0], client=self.authed()), (204,), None)
        return f"204 for a session {session.status.value}"

    def logout(self) -> str:
        expect(login_logout.sync_detailed(client=self.authed()), (204,), None)
        problem = expect(system_get_about.sync_detailed(client=self.authed()), (401,), ProblemDetails401)
        return f"204, then the old token gets 401 {problem.title!r}"

    def run(self) -> int:
        steps = [
            ("log in (Password grant)", self.login),
            ("system/about", self.about),
            ("protected VMs, first page", self.protected_vms),
            ("protected VMs, SearchPattern", self.searched_vms),
            ("one protected VM", self.one_vm),
            ("an unknown protected VM", self.unknown_vm),
            ("delete one VM's backups", self.delete_one),
            ("delete one VM's backups, Archive tier", self.delete_one_in_tier),
            ("delete a batch of VMs' backups", self.delete_batch),
            ("sessions filtered by type, status and time", self.sessions_filtered),
            ("one session", self.one_session),
            ("a session's log", self.session_log),
            ("stop a running session", self.stop_running),
            ("stop a finished session", self.stop_finished),
            ("log out", self.logout),
        ]
        for name, run in steps:
            self.step(name, run)
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(Flow(sys.argv[1].rstrip("/"), sys.argv[2] if len(sys.argv) == 3 else "vbazure-mock").run())
