"""The index jobs: JSON arguments in, the sync service's answer out (tests run tasks immediately)."""

from django_tasks import TaskResultStatus

from qiao.matching import index
from qiao.matching.tasks import index_sync_record, index_sync_records


def test_index_sync_records_takes_json_records(cat):
    need = cat.need(title="寻求钠离子电池储能方案")

    result = index_sync_records.enqueue(records=[["need", need.pk], ["capability", cat.capability.pk]])

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "updated"
    assert f"need:{need.pk}" in index.read_meta(index.current_generation())[1]


def test_index_sync_record_still_runs_jobs_queued_one_record_at_a_time(cat):
    result = index_sync_record.enqueue(kind="capability", pk=cat.capability.pk)

    assert result.return_value == "unchanged"
