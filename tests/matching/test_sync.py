"""One index job per transaction: changes are collected while it runs and enqueued, together, when it commits.

Most tests here use real transactions (``transaction=True``): on_commit hooks then run at a real commit and are
discarded by a real rollback, as in production.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qiao.catalog import imports
from qiao.catalog.import_models import ImportStatus
from qiao.directory.models import Person
from qiao.matching import index
from qiao.matching.services import index_rebuild
from qiao.matching.sync import index_changed
from tests.directory.factories import MajorFactory, OrganizationFactory, PersonFactory

real_transactions = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


@pytest.fixture
def queued(settings):
    """Jobs are queued, not run: the dummy backend keeps what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    backend = task_backends["default"]
    backend.clear()
    return backend.results


def index_jobs(results) -> list[list[list]]:
    """The records of every queued index job, in order."""
    assert all(r.task.name == "index_sync_records" for r in results), [r.task.name for r in results]
    return [r.kwargs["records"] for r in results]


@real_transactions
def test_changes_in_one_transaction_enqueue_one_job_with_every_record_once(queued):
    with transaction.atomic():
        college = OrganizationFactory(name="新学院")  # directory signal
        person = PersonFactory(organization=college)
        major = MajorFactory(college=college)
        with transaction.atomic():  # a service's own atomic block is a savepoint of the same transaction
            index_changed("need", 7)  # what the catalog's services call
        person.name = "改名"
        person.save()  # the same record again
        assert queued == []  # nothing before the commit

    assert index_jobs(queued) == [[["organization", college.pk], ["person", person.pk], ["major", major.pk],
                                   ["need", 7]]]


@real_transactions
def test_outside_a_transaction_each_change_is_enqueued_at_once(queued):
    index_changed("need", 1)
    index_changed("achievement", 2)

    assert index_jobs(queued) == [[["need", 1]], [["achievement", 2]]]


@real_transactions
def test_a_rolled_back_transaction_enqueues_nothing_and_leaks_nothing(queued):
    with pytest.raises(Boom), transaction.atomic():
        index_changed("need", 1)
        PersonFactory()
        raise Boom

    assert queued == []

    with transaction.atomic():
        index_changed("need", 2)

    assert index_jobs(queued) == [[["need", 2]]]


@real_transactions
def test_a_rolled_back_savepoint_drops_only_its_own_records(queued):
    with transaction.atomic():
        index_changed("need", 1)
        with pytest.raises(Boom), transaction.atomic():
            index_changed("need", 2)
            index_changed("need", 1)  # also changed in the savepoint, but changed before it too: kept
            raise Boom
        index_changed("need", 3)

    assert index_jobs(queued) == [[["need", 1], ["need", 3]]]


@real_transactions
def test_a_batch_whose_every_change_was_rolled_back_is_not_reused(queued):
    with transaction.atomic():
        with pytest.raises(Boom), transaction.atomic():
            index_changed("need", 1)
            raise Boom
        index_changed("need", 2)

    assert index_jobs(queued) == [[["need", 2]]]


@real_transactions
def test_two_transactions_make_two_jobs(queued):
    with transaction.atomic():
        index_changed("need", 1)
    with transaction.atomic():
        index_changed("need", 2)

    assert index_jobs(queued) == [[["need", 1]], [["need", 2]]]


def test_in_a_test_transaction_each_capture_flushes_its_own_job(db, queued, django_capture_on_commit_callbacks):
    # pytest-django's test transaction never commits; captured hooks run at the end of the block instead
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        index_changed("need", 1)
        index_changed("need", 2)
    with django_capture_on_commit_callbacks(execute=True):
        index_changed("need", 3)

    assert len(hooks) == 2  # one hook per change; the first to run flushes the batch, the second finds it empty
    assert index_jobs(queued) == [[["need", 1], ["need", 2]], [["need", 3]]]


RESEARCHER_HEADERS = ["外部编号 External id", "姓名 Name", "所在单位 Organization", "研究方向关键词 Expertise keywords"]
TOPICS = ["海水淡化反渗透膜", "工业机器人路径规划", "锂电池热失控预警", "钙钛矿太阳能电池", "稀土永磁材料"]


@real_transactions
def test_an_import_enqueues_one_index_job_that_makes_every_row_searchable(world, settings, queued, tmp_path):
    # given an index and a researchers file of N rows
    settings.MEDIA_ROOT = tmp_path / "media"
    index_rebuild()
    generation = index.current_generation()
    queued.clear()  # the world fixture's records, written in autocommit
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RESEARCHER_HEADERS)
    writer.writerows([f"R{n}", f"导入者{n}", "机械学院", topic] for n, topic in enumerate(TOPICS))
    upload = SimpleUploadedFile("researchers.csv", buffer.getvalue().encode("utf-8-sig"))

    # when it is imported (small files run at once)
    job = imports.import_job_start(job=imports.import_job_create(by=world.users["staff"], kind="researchers",
                                                                   file=upload))

    # then one index job carries every imported researcher, and the index has not been touched yet
    assert job.status == ImportStatus.DONE, job.errors
    people = list(Person.objects.filter(external_id__startswith="R").order_by("pk").values_list("pk", flat=True))
    assert len(people) == len(TOPICS)
    [records] = index_jobs(queued)
    assert records == [["person", pk] for pk in people]
    assert index.current_generation() == generation

    # and once the job runs, in one new generation, every imported researcher is found by their topic
    assert queued[0].task.call(**queued[0].kwargs) == "updated"
    assert index.current_generation() != generation
    loaded = index.read_generation(index.current_generation())
    for pk, topic in zip(people, TOPICS, strict=True):
        hits = loaded.engine.search(topic, filters={"type": "person"})
        assert hits and hits[0].owner == f"person:{pk}", topic
