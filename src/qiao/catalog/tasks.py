"""Background jobs of the catalog (run by ``qiao worker``; at once in tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> None:
    """Validate and import one uploaded file (see ``qiao.catalog.imports``)."""
    from .imports import import_job_run

    import_job_run(job_id=job_id)
