"""Loading the demo world into the database."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from qiao.accounts.models import Membership, User
from qiao.demo import services
from qiao.demo.services import TaxonomiesNotLoaded, demo_index, demo_load, demo_summary
from qiao.directory.models import Major, Organization, Person, Region

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "orgs": Organization.objects.count(), "people": Person.objects.count(), "majors": Major.objects.count(),
        "users": User.objects.count(), "memberships": Membership.objects.count(),
        "org_industries": Organization.industries.through.objects.count(),
        "person_disciplines": Person.disciplines.through.objects.count(),
        "affiliations": Person.affiliations.through.objects.count(),
    }


def test_load_is_idempotent(taxonomies, demo_world):
    first = demo_load(world=demo_world)
    assert first.changed
    after_first = _counts()
    second = demo_load(world=demo_world)
    assert not second.changed, second
    assert _counts() == after_first
    assert after_first["orgs"] == len(demo_world.organizations)
    assert after_first["people"] == len(demo_world.people)
    assert demo_summary()["researchers"] == 300


def test_logins_have_roles(taxonomies, demo_world):
    demo_load(world=demo_world)
    idx = demo_index(demo_world)
    for login in demo_world.logins:
        user = User.objects.get(username=login.username)
        assert user.check_password("qiao-demo-2026")
        if login.role == "admin":
            assert user.is_superuser and user.is_platform_admin
            continue
        assert user.has_role(login.role)
        m = Membership.objects.get(user=user, role=login.role)
        assert m.organization == idx.organizations[login.organization]
        assert m.is_manager == login.is_manager
    researcher = User.objects.get(username="researcher")
    assert researcher.person.external_id.startswith("demo:person:")
    assert researcher.person.orcid
    giant = idx.organizations[demo_world.keys["little_giant"]]
    assert giant.specialised_level == "little_giant"
    assert set(giant.industries.values_list("code", flat=True)) == {"35", "77"}
    assert Membership.objects.get(user__username="enterprise").organization == giant


def test_loaded_rows_validate(taxonomies, demo_world):
    demo_load(world=demo_world)
    for org in Organization.objects.filter(is_fictional=True, kind="enterprise")[:20]:
        org.full_clean()
    for person in Person.objects.exclude(orcid="")[:20]:
        person.full_clean()
    assert Major.objects.filter(code="080213T", name="智能制造工程").exists()


def test_extra_loaders_run_inside(taxonomies, demo_world, monkeypatch):
    seen = []
    monkeypatch.setattr(services, "EXTRA_LOADERS", [lambda world, progress: seen.append(world.seed)])
    demo_load(world=demo_world)
    assert seen == [2026]


def test_progress_is_reported(taxonomies, demo_world):
    stages = []
    demo_load(world=demo_world, progress=lambda stage, done, total: stages.append(stage))
    assert {"taxonomies", "organizations", "people", "majors", "users"} <= set(stages)


def test_missing_taxonomies_are_reported(db, demo_world):
    Region.objects.filter(code="320500").delete()
    with pytest.raises(TaxonomiesNotLoaded, match="taxonomies"):
        demo_load(world=demo_world)
    assert not Organization.objects.filter(is_fictional=True).exists()


def test_command(taxonomies, capsys):
    call_command("demo_load", "--seed", "2026")
    out = capsys.readouterr().out
    assert "researcher" in out and "qiao-demo-2026" in out


def test_existing_admin_password_kept_unless_reset(taxonomies, demo_world):
    User.objects.create_user("admin", password="mine")
    demo_load(world=demo_world)
    admin = User.objects.get(username="admin")
    assert admin.check_password("mine") and admin.is_superuser
    demo_load(world=demo_world, reset_passwords=True)
    assert User.objects.get(username="admin").check_password("qiao-demo-2026")
