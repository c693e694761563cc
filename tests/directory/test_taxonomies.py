from qiao.directory.models import Discipline, IndustryCategory, Region
from qiao.directory.taxonomies import load_all


def test_taxonomies_are_loaded_by_the_migration(db):
    assert IndustryCategory.objects.filter(level="section").count() == 20
    assert IndustryCategory.objects.filter(level="division").count() == 97
    assert Discipline.objects.filter(level="category").count() == 14
    assert Discipline.objects.filter(level="first_level").count() == 117
    assert Region.objects.filter(level="province").count() == 34
    assert IndustryCategory.objects.get(code="35").parent.code == "C"
    assert Discipline.objects.get(code="0812").parent.code == "08"


def test_reloading_is_idempotent(db):
    before = (IndustryCategory.objects.count(), Discipline.objects.count(), Region.objects.count())
    load_all()
    assert (IndustryCategory.objects.count(), Discipline.objects.count(), Region.objects.count()) == before
