"""Imports of spreadsheets and works files: validate every row first, then write all rows or none.

The flow is the same for every file, small or large: :func:`import_job_create` stores the upload as an
:class:`ImportJob`; :func:`import_job_run` reads it, validates each row with the model validators (reporting file,
row, column and message in the uploader's language), and only if no row has an error writes them all in one
transaction through the directory and catalog services. Rows are matched on external id, credit code, ORCID iD
or DOI, so importing the same file again changes nothing. Files of a few hundred rows run in the request,
larger ones as a background task (``qiao.catalog.tasks.run_import_job``) whose progress the job page polls.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiao.accounts.models import Role
from qiao.core.permissions import ADD, CHANGE, can, is_platform_admin
from qiao.directory.models import Organization, OrganizationKind, Person

from .import_models import ImportJob, ImportKind, ImportStatus
from .importers.base import RowError, Source, validation_messages
from .importers.kinds import CREATE, IMPORTERS, UNCHANGED, UPDATE, Importer, RowProblems
from .importers.readers import FileUnreadable, read_table, read_works
from .models import Achievement, Need, Publication

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
#: Files of up to this many rows are imported during the upload request; larger ones by the background worker.
INLINE_MAX_ROWS = 300
#: Files larger than this go to the worker without being read in the request at all.
INLINE_MAX_BYTES = 512 * 1024
MAX_STORED_ERRORS = 1000
PROGRESS_EVERY = 50
TABLE_EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")
WORKS_EXTENSIONS = (".json",)


# --- who may import what ---

def _manages_enterprise(user: Any) -> bool:
    return user.memberships.filter(is_manager=True, organization__kind=OrganizationKind.ENTERPRISE).exists()


#: kind → (the model rows become, who besides platform admins may import them). The services decide row by row.
IMPORT_RIGHTS: dict[str, tuple[Any, Callable[[Any], bool]]] = {
    ImportKind.ENTERPRISES: (Organization, lambda u: u.has_role(Role.BROKER) or _manages_enterprise(u)),
    ImportKind.RESEARCHERS: (Person, lambda u: u.has_role(Role.UNIVERSITY_STAFF)),
    ImportKind.PUBLICATIONS: (Publication, lambda u: u.has_role(Role.UNIVERSITY_STAFF, Role.RESEARCHER)),
    ImportKind.ACHIEVEMENTS: (Achievement, lambda u: u.has_role(Role.UNIVERSITY_STAFF, Role.RESEARCHER)),
    ImportKind.NEEDS: (Need, lambda u: u.has_role(Role.BROKER) or _manages_enterprise(u)),
}


def may_import(user: Any, kind: str) -> bool:
    """Enterprise managers and brokers import enterprises and needs; university staff their university's
    researchers, publications and achievements (researchers their own works); platform admins everything."""
    if kind not in IMPORT_RIGHTS or not getattr(user, "is_authenticated", False):
        return False
    if is_platform_admin(user):
        return True
    model, allowed = IMPORT_RIGHTS[kind]
    return can(user, ADD, model) and allowed(user)


def importable_kinds(user: Any) -> list[tuple[str, Any]]:
    return [(value, label) for value, label in ImportKind.choices if may_import(user, value)]


# --- reading and importing (one code path for inline and background runs) ---

def read_source(*, kind: str, file_name: str, content: bytes, importer: Importer) -> Source:
    if file_name.lower().endswith(WORKS_EXTENSIONS):
        if kind != ImportKind.PUBLICATIONS:
            raise FileUnreadable(_("JSON works files can only be imported as publications."))
        if importer.person is None:
            raise FileUnreadable(_("Choose the researcher whose works these are."))
        return read_works(file_name, content)
    return read_table(file_name, content, importer.active_columns())


@dataclass
class ImportResult:
    total: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def _header(source: Source, importer: Importer, key: str) -> str:
    if not key:
        return ""
    if key in source.headers:
        return source.headers[key]
    column = importer.column(key)
    if column is not None:
        return column.header
    try:
        return str(getattr(importer.model._meta.get_field(key), "verbose_name", key))
    except FieldDoesNotExist:
        return key


def import_source(*, importer: Importer, source: Source, on_progress: Callable[[str, int], None] | None = None
                  ) -> ImportResult:
    """Validate every row, then write them all in one transaction, or nothing if any row has an error."""
    result = ImportResult(total=len(source.rows), errors=list(source.errors))
    if result.errors:  # a required column is missing: every row would fail for the same reason
        return result
    planned = []
    for index, row in enumerate(source.rows, start=1):
        try:
            planned.append(importer.plan(row))
        except RowProblems as exc:
            result.errors.extend(RowError(source.file_name, row.number, _header(source, importer, key), message)
                                 for key, message in exc.problems)
        if on_progress and index % PROGRESS_EVERY == 0:
            on_progress(ImportStatus.VALIDATING, index)
    if not source.rows and not result.errors:
        result.errors.append(RowError(source.file_name, 1, "", _("The file has no rows to import.")))
    if result.errors:
        return result
    if on_progress:
        on_progress(ImportStatus.IMPORTING, len(source.rows))
    current = None
    try:
        with transaction.atomic():
            for current in planned:
                importer.write(current)
    except (ValidationError, PermissionDenied, ValueError) as exc:
        number = current.number if current else 1
        if isinstance(exc, ValidationError):
            result.errors.extend(RowError(source.file_name, number, _header(source, importer, key if key != "__all__"
                                                                              else ""), message)
                                 for key, message in validation_messages(exc))
        elif isinstance(exc, PermissionDenied):
            result.errors.append(RowError(source.file_name, number, "", _("You may not import this row.")))
        else:
            result.errors.append(RowError(source.file_name, number, "", str(exc)))
        return result
    result.counts = Counter(p.action for p in planned)
    return result


# --- jobs ---

@transaction.atomic
def import_job_create(*, by: Any, kind: str, file: Any, person: Person | None = None) -> ImportJob:
    """Store an upload as a job (nothing is imported yet); see :func:`import_job_start`."""
    if not may_import(by, kind):
        raise PermissionDenied
    name = getattr(file, "name", "") or "upload"
    problems = {}
    if not name.lower().endswith(TABLE_EXTENSIONS + WORKS_EXTENSIONS):
        problems["file"] = _("Upload an .xlsx, .csv or .json file.")
    elif getattr(file, "size", 0) > MAX_FILE_BYTES:
        problems["file"] = _("A file may be at most 10 MB.")
    elif name.lower().endswith(WORKS_EXTENSIONS) and person is None:
        problems["person"] = _("Choose the researcher whose works these are.")
    if problems:
        raise ValidationError(problems)
    if person is not None and not can(by, CHANGE, person):
        raise PermissionDenied
    return ImportJob.objects.create(created_by=by, kind=kind, file=file, file_name=name[:255], person=person,
                                    language=translation.get_language() or "zh-hans")


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Run a small job now, or queue a large one for the worker once the upload is committed."""
    if _is_small(job):
        import_job_run(job_id=job.pk)
        job.refresh_from_db()
        return job
    from .tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job_id=job.pk))
    return job


def _is_small(job: ImportJob) -> bool:
    if job.file.size > INLINE_MAX_BYTES:
        return False
    importer = IMPORTERS[job.kind](by=job.created_by, person=job.person)
    with job.file.open("rb") as handle:
        content = handle.read()
    try:
        source = read_source(kind=job.kind, file_name=job.file_name, content=content, importer=importer)
    except FileUnreadable:
        return True  # fails at once, with its reason, in the same code path
    return len(source.rows) <= INLINE_MAX_ROWS


def _save_progress(job: ImportJob, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def import_job_run(*, job_id: int) -> None:
    """Do one queued job. Safe to call twice: a job that is no longer queued is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=ImportStatus.VALIDATING)
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by", "person").get(pk=job_id)
    with translation.override(job.language):
        try:
            _run(job)
        except Exception:
            logger.exception("import job %s failed", job.pk)
            _save_progress(job, status=ImportStatus.FAILED, finished=timezone.now(), errors=[RowError(
                job.file_name, 1, "", _("The import stopped because of an internal error; nothing was imported.")
            ).as_dict()])


def _run(job: ImportJob) -> None:
    importer = IMPORTERS[job.kind](by=job.created_by, person=job.person)
    with job.file.open("rb") as handle:
        content = handle.read()
    try:
        source = read_source(kind=job.kind, file_name=job.file_name, content=content, importer=importer)
    except FileUnreadable as exc:
        _save_progress(job, status=ImportStatus.FAILED, finished=timezone.now(),
                       errors=[RowError(job.file_name, 1, "", str(exc)).as_dict()])
        return
    _save_progress(job, total_rows=len(source.rows), processed_rows=0)

    def progress(status: str, processed: int) -> None:
        _save_progress(job, status=status, processed_rows=processed)

    result = import_source(importer=importer, source=source, on_progress=progress)
    if not result.ok:
        _save_progress(job, status=ImportStatus.FAILED, finished=timezone.now(), processed_rows=result.total,
                       errors=[e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]],
                       summary={"error_count": len(result.errors), "total": result.total})
        return
    _save_progress(job, status=ImportStatus.DONE, finished=timezone.now(), processed_rows=result.total, errors=[],
                   summary={"total": result.total, **{k: result.counts.get(k, 0) for k in (CREATE, UPDATE, UNCHANGED)}})
