#!/usr/bin/env python3
"""Every kind of removal of API v8.1, driven by a client nobody here wrote, against the mock.

As veeam_az_flow.py, with `veeam-az` (PyPI: a Python client generated from the vendor's v8.1
document), whose models parse every answer strictly: an enum member the vendor does not list, a
`null` where it declares a value, or a status it does not document fails a step. The steps cover
the protected SQL databases, Cosmos DB accounts and file shares, the restore points of each kind
(listed, read, removed, 404 once removed, 423 while immutable), the removals of snapshots and
backups of each kind, and what a removal session lists as deleted.

Usage: veeam_az_removals.py BASE_URL [PASSWORD]   (exits 0 when every step passed, 1 otherwise)
"""

from __future__ import annotations

import datetime
import sys
import traceback
from typing import Any, Callable
from uuid import UUID

from veeam_az.v8_1.api.cosmos_db_restore_point import (
    cosmos_db_restore_point_delete_restore_point as delete_cosmos_point,
    cosmos_db_restore_point_get_restore_point_page as list_cosmos_points,
)
from veeam_az.v8_1.api.file_share_restore_point import (
    file_share_restore_point_delete_restore_point as delete_share_point,
    file_share_restore_point_get_restore_point_page as list_share_points,
)
from veeam_az.v8_1.api.job_sessions import (
    job_sessions_get_deleted_items as deleted_items,
    job_sessions_get_job_session_by_id as get_session,
)
from veeam_az.v8_1.api.login import login_authenticate
from veeam_az.v8_1.api.protected_cosmos_db_account import (
    protected_cosmos_db_account_delete_continuous_backups as delete_cosmos_continuous,
    protected_cosmos_db_account_delete_cosmos_db_account_backups as delete_cosmos_backups,
    protected_cosmos_db_account_delete_manual_backups as delete_cosmos_manual,
    protected_cosmos_db_account_get_protected_cosmos_db_account_by_id as get_account,
    protected_cosmos_db_account_get_protected_item_page as list_accounts,
)
from veeam_az.v8_1.api.protected_database import (
    protected_database_delete_backups as delete_database_backups,
    protected_database_delete_manual_backups as delete_database_manual,
    protected_database_get_protected_item_by_id as get_database,
    protected_database_get_protected_item_page as list_databases,
)
from veeam_az.v8_1.api.protected_file_share import (
    protected_file_share_delete_manual_snapshots_batch as delete_share_manual,
    protected_file_share_delete_snapshots_batch as delete_share_snapshots,
    protected_file_share_get_protected_item_by_id as get_share,
    protected_file_share_get_protected_item_page as list_shares,
)
from veeam_az.v8_1.api.protected_virtual_machine import (
    protected_virtual_machine_delete_virtual_machine_manual_snapshots_batch as delete_vm_manual_batch,
    protected_virtual_machine_delete_virtual_machine_snapshots as delete_vm_snapshots,
    protected_virtual_machine_get_protected_item_page as list_vms,
)
from veeam_az.v8_1.api.sql_restore_point import (
    sql_restore_point_delete_restore_point as delete_sql_point,
    sql_restore_point_get_restore_point_by_id as get_sql_point,
    sql_restore_point_get_restore_point_page as list_sql_points,
)
from veeam_az.v8_1.api.virtual_machine_restore_point import (
    virtual_machine_restore_point_delete_restore_point as delete_vm_point,
    virtual_machine_restore_point_get_restore_point_by_id as get_vm_point,
    virtual_machine_restore_point_get_restore_point_page as list_vm_points,
)
from veeam_az.v8_1.client import AuthenticatedClient, Client
from veeam_az.v8_1.models.grant_type import GrantType
from veeam_az.v8_1.models.job_session import JobSession
from veeam_az.v8_1.models.job_status import JobStatus
from veeam_az.v8_1.models.login import Login
from veeam_az.v8_1.models.login_from_client import LoginFromClient
from veeam_az.v8_1.models.page_of_cosmos_db_restore_point import PageOfCosmosDbRestorePoint
from veeam_az.v8_1.models.page_of_file_share_restore_point import PageOfFileShareRestorePoint
from veeam_az.v8_1.models.page_of_job_deleted_restore_point import PageOfJobDeletedRestorePoint
from veeam_az.v8_1.models.page_of_protected_cosmos_db_account import (
    PageOfProtectedCosmosDbAccount,
)
from veeam_az.v8_1.models.page_of_protected_database import PageOfProtectedDatabase
from veeam_az.v8_1.models.page_of_protected_file_share import PageOfProtectedFileShare
from veeam_az.v8_1.models.page_of_protected_virtual_machine import (
    PageOfProtectedVirtualMachine,
)
from veeam_az.v8_1.models.page_of_sql_restore_point import PageOfSqlRestorePoint
from veeam_az.v8_1.models.page_of_virtual_machine_restore_point import (
    PageOfVirtualMachineRestorePoint,
)
from veeam_az.v8_1.models.problem_details_404 import ProblemDetails404
from veeam_az.v8_1.models.problem_details_423 import ProblemDetails423
from veeam_az.v8_1.models.protected_cosmos_db_account import ProtectedCosmosDbAccount
from veeam_az.v8_1.models.protected_data_backup_tier import ProtectedDataBackupTier
from veeam_az.v8_1.models.protected_data_batch_delete_snapshots_config import (
    ProtectedDataBatchDeleteSnapshotsConfig,
)
from veeam_az.v8_1.models.protected_data_file_share_batch_delete_snapshots_config import (
    ProtectedDataFileShareBatchDeleteSnapshotsConfig,
)
from veeam_az.v8_1.models.protected_database import ProtectedDatabase
from veeam_az.v8_1.models.protected_file_share import ProtectedFileShare
from veeam_az.v8_1.models.sql_restore_point import SqlRestorePoint
from veeam_az.v8_1.models.virtual_machine_restore_point import VirtualMachineRestorePoint
from veeam_az.v8_1.types import Unset

from veeam_az_flow import StepFailed, every_model_field_read, expect

STILL_RUNNING = (JobStatus.RUNNING, JobStatus.PENDING, JobStatus.CANCELING)


def immutable(point: Any, now: datetime.datetime) -> bool:
    """Whether the point is under immutability now (its `immutable_till` is in the future)."""
    until = getattr(point, "immutable_till", None)
    return isinstance(until, datetime.datetime) and until > now


class Removals:
    def __init__(self, base_url: str, password: str) -> None:
        self.base_url = base_url
        self.password = password
        self.client: AuthenticatedClient | None = None
        self.database_id = ""
        self.account_id = ""
        self.share_id = ""
        self.vm_ids: list[str] = []
        self.removal_sessions: list[str] = []
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
        anonymous = Client(base_url=self.base_url, raise_on_unexpected_status=True)
        body = LoginFromClient(
            grant_type=GrantType.PASSWORD, username="administrator", password=self.password
        )
        token = expect(login_authenticate.sync_detailed(client=anonymous, body=body), (200,), Login)
        self.client = AuthenticatedClient(
            base_url=self.base_url, token=token.access_token, raise_on_unexpected_status=True
        )
        return "logged in"

    def started(self, response: Any) -> str:
        """A removal's answer: 202 with a session to follow, or 204 (nothing to remove)."""
        session = expect(response, (202, 204), JobSession)
        if session is None:
            return "204: nothing to remove"
        every_model_field_read(session)
        if not isinstance(session.id, str):
            raise StepFailed("the session has no id to follow")
        self.removal_sessions.append(session.id)
        return f"202: session {session.id} ({session.type_.value if not isinstance(session.type_, Unset) else '?'})"

    # -- Azure SQL databases
    def databases(self) -> str:
        page = expect(list_databases.sync_detailed(client=self.authed(), limit=-1), (200,), PageOfProtectedDatabase)
        every_model_field_read(page)
        ids = [db.id for db in page.results if isinstance(db.id, str)]
        if not ids:
            raise StepFailed("no protected database with an id")
        self.database_id = ids[0]
        one = expect(get_database.sync_detailed(self.database_id, client=self.authed()), (200,), ProtectedDatabase)
        every_model_field_read(one)
        return f"{len(ids)} databases; read {one.name!r}"

    def sql_points(self) -> str:
        page = expect(
            list_sql_points.sync_detailed(client=self.authed(), database_id=self.database_id, limit=-1),
            (200,),
            PageOfSqlRestorePoint,
        )
        every_model_field_read(page)
        now = datetime.datetime.now(datetime.timezone.utc)
        free = [p for p in page.results if not immutable(p, now)]
        locked = [p for p in page.results if immutable(p, now)]
        if not free:
            raise StepFailed("no restore point that may be removed")
        point = free[-1]
        one = expect(get_sql_point.sync_detailed(point.id, client=self.authed()), (200,), SqlRestorePoint)
        every_model_field_read(one)
        detail = self.started(delete_sql_point.sync_detailed(point.id, client=self.authed()))
        expect(get_sql_point.sync_detailed(point.id, client=self.authed()), (404,), ProblemDetails404)
        if locked:
            problem = expect(
                delete_sql_point.sync_detailed(locked[0].id, client=self.authed()), (423,), ProblemDetails423
            )
            detail += f"; an immutable one: 423 {problem.title!r}"
        return f"{len(page.results)} points; removed one ({detail}), then 404"

    def sql_removals(self) -> str:
        manual = self.started(delete_database_manual.sync_detailed(self.database_id, client=self.authed()))
        tier = self.started(
            delete_database_backups.sync_detailed(
                self.database_id, client=self.authed(), backup_tier=ProtectedDataBackupTier.ARCHIVE
            )
        )
        every = self.started(delete_database_backups.sync_detailed(self.database_id, client=self.authed()))
        return f"manual: {manual}; archive: {tier}; all: {every}"

    # -- Cosmos DB accounts
    def accounts(self) -> str:
        page = expect(
            list_accounts.sync_detailed(client=self.authed(), limit=-1), (200,), PageOfProtectedCosmosDbAccount
        )
        every_model_field_read(page)
        ids = [account.id for account in page.results if isinstance(account.id, str)]
        if not ids:
            raise StepFailed("no protected Cosmos DB account with an id")
        self.account_id = ids[0]
        one = expect(get_account.sync_detailed(self.account_id, client=self.authed()), (200,), ProtectedCosmosDbAccount)
        every_model_field_read(one)
        return f"{len(ids)} accounts; read {one.name!r}"

    def cosmos_points(self) -> str:
        page = expect(
            list_cosmos_points.sync_detailed(client=self.authed(), cosmos_db_account_id=self.account_id, limit=-1),
            (200,),
            PageOfCosmosDbRestorePoint,
        )
        every_model_field_read(page)
        now = datetime.datetime.now(datetime.timezone.utc)
        free = [p for p in page.results if not immutable(p, now)]
        if not free:
            raise StepFailed("no restore point that may be removed")
        return f"{len(page.results)} points; removed one: {self.started(delete_cosmos_point.sync_detailed(free[-1].id, client=self.authed()))}"

    def cosmos_removals(self) -> str:
        manual = self.started(delete_cosmos_manual.sync_detailed(self.account_id, client=self.authed()))
        continuous = self.started(delete_cosmos_continuous.sync_detailed(self.account_id, client=self.authed()))
        every = self.started(
            delete_cosmos_backups.sync_detailed(
                self.account_id, client=self.authed(), backup_tier=ProtectedDataBackupTier.ALL
            )
        )
        return f"manual: {manual}; continuous: {continuous}; all: {every}"

    # -- file shares
    def shares(self) -> str:
        page = expect(list_shares.sync_detailed(client=self.authed(), limit=-1), (200,), PageOfProtectedFileShare)
        every_model_field_read(page)
        ids = [share.id for share in page.results if isinstance(share.id, str)]
        if not ids:
            raise StepFailed("no protected file share with an id")
        self.share_id = ids[0]
        one = expect(get_share.sync_detailed(self.share_id, client=self.authed()), (200,), ProtectedFileShare)
        every_model_field_read(one)
        return f"{len(ids)} file shares; read {one.name!r}"

    def share_points(self) -> str:
        page = expect(
            list_share_points.sync_detailed(client=self.authed(), file_share_id=self.share_id, limit=-1),
            (200,),
            PageOfFileShareRestorePoint,
        )
        every_model_field_read(page)
        if not page.results:
            raise StepFailed("the file share has no restore point")
        return f"{len(page.results)} points; removed one: {self.started(delete_share_point.sync_detailed(page.results[-1].id, client=self.authed()))}"

    def share_removals(self) -> str:
        manual = self.started(
            delete_share_manual.sync_detailed(
                client=self.authed(), body=ProtectedDataFileShareBatchDeleteSnapshotsConfig(ids=[self.share_id])
            )
        )
        every = self.started(
            delete_share_snapshots.sync_detailed(
                client=self.authed(), body=ProtectedDataFileShareBatchDeleteSnapshotsConfig(ids=[self.share_id])
            )
        )
        # A removal takes effect when its session ends: once both have, nothing is left.
        self.wait_for(self.removal_sessions[-2:])
        again = self.started(
            delete_share_snapshots.sync_detailed(
                client=self.authed(), body=ProtectedDataFileShareBatchDeleteSnapshotsConfig(ids=[self.share_id])
            )
        )
        if not again.startswith("204"):
            raise StepFailed(f"a second removal of every snapshot still found some: {again}")
        return f"manual: {manual}; all: {every}; again: {again}"

    # -- virtual machines
    def vm_points(self) -> str:
        vms = expect(list_vms.sync_detailed(client=self.authed(), limit=-1), (200,), PageOfProtectedVirtualMachine)
        self.vm_ids = [vm.id for vm in vms.results if isinstance(vm.id, str)]
        if len(self.vm_ids) < 2:
            raise StepFailed(f"{len(self.vm_ids)} VMs with an id, the flow needs 2")
        page = expect(
            list_vm_points.sync_detailed(client=self.authed(), virtual_machine_id=self.vm_ids[0], limit=-1),
            (200,),
            PageOfVirtualMachineRestorePoint,
        )
        every_model_field_read(page)
        now = datetime.datetime.now(datetime.timezone.utc)
        free = [p for p in page.results if not immutable(p, now)]
        if not free:
            raise StepFailed("no restore point that may be removed")
        point = free[-1]
        one = expect(get_vm_point.sync_detailed(point.id, client=self.authed()), (200,), VirtualMachineRestorePoint)
        every_model_field_read(one)
        detail = self.started(delete_vm_point.sync_detailed(point.id, client=self.authed()))
        expect(get_vm_point.sync_detailed(point.id, client=self.authed()), (404,), ProblemDetails404)
        unknown = UUID("00000000-0000-4000-8000-00000000dead")
        expect(delete_vm_point.sync_detailed(unknown, client=self.authed()), (404,), ProblemDetails404)
        return f"{len(page.results)} points; removed one ({detail}), then 404; an unknown one: 404"

    def vm_snapshots(self) -> str:
        one = self.started(delete_vm_snapshots.sync_detailed(self.vm_ids[0], client=self.authed()))
        batch = self.started(
            delete_vm_manual_batch.sync_detailed(
                client=self.authed(), body=ProtectedDataBatchDeleteSnapshotsConfig(ids=self.vm_ids[1:])
            )
        )
        return f"snapshots of one: {one}; manual snapshots of the others: {batch}"

    def wait_for(self, session_ids: list[str]) -> JobSession:
        """Reads each session until it has ended; the last one read."""
        session = None
        for session_id in session_ids:
            for _ in range(50):
                session = expect(get_session.sync_detailed(session_id, client=self.authed()), (200,), JobSession)
                every_model_field_read(session)
                if session.status not in STILL_RUNNING:
                    break
            else:
                raise StepFailed(f"session {session_id} still runs after 50 reads")
        if session is None:
            raise StepFailed("no session to wait for")
        return session

    # -- what the sessions removed
    def deleted(self) -> str:
        if not self.removal_sessions:
            raise StepFailed("no removal session was started")
        session_id = self.removal_sessions[0]
        session = self.wait_for([session_id])
        page = expect(
            deleted_items.sync_detailed(session_id, client=self.authed(), limit=-1),
            (200,),
            PageOfJobDeletedRestorePoint,
        )
        every_model_field_read(page)
        if not page.results:
            raise StepFailed(f"session {session_id} ended {session.status.value} and lists nothing deleted")
        return f"session {session_id} ended {session.status.value}: {len(page.results)} items deleted"

    def run(self) -> int:
        steps = [
            ("log in (Password grant)", self.login),
            ("protected SQL databases, one read", self.databases),
            ("SQL restore points: list, read, remove, 404, 423", self.sql_points),
            ("SQL removals: manual, archive tier, all", self.sql_removals),
            ("protected Cosmos DB accounts, one read", self.accounts),
            ("Cosmos DB restore points: list, remove", self.cosmos_points),
            ("Cosmos DB removals: manual, continuous, all", self.cosmos_removals),
            ("protected file shares, one read", self.shares),
            ("file share restore points: list, remove", self.share_points),
            ("file share removals: manual, all, all again (204)", self.share_removals),
            ("VM restore points: list, read, remove, 404", self.vm_points),
            ("VM snapshot removals: one, a batch of manual ones", self.vm_snapshots),
            ("a removal session's deleted items", self.deleted),
        ]
        for name, run in steps:
            self.step(name, run)
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(Removals(sys.argv[1].rstrip("/"), sys.argv[2] if len(sys.argv) == 3 else "vbazure-mock").run())
