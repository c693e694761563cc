"""Root fixtures: a small world with one user per role, shared by every app's tests."""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from qiao.directory.models import OrganizationKind
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import OrganizationFactory, PersonFactory

PASSWORD = "pw-Secret-123"


@dataclass
class World:
    zone: Any
    centre: Any
    university: Any
    college: Any
    other_college: Any
    enterprise: Any
    other_enterprise: Any
    agency: Any
    users: dict[str, Any]
    researcher_person: Any
    other_person: Any


ROLES = ["admin", "enterprise", "outsider_enterprise", "researcher", "staff", "dean", "broker", "officer", "nobody"]


@pytest.fixture
def world(db) -> World:
    zone = OrganizationFactory(kind=OrganizationKind.DEVELOPMENT_ZONE, name="测试开发区", name_en="Test Zone")
    centre = OrganizationFactory(kind=OrganizationKind.INNOVATION_CENTRE, parent=zone, name="科创中心")
    university = OrganizationFactory(kind=OrganizationKind.UNIVERSITY, name="测试大学", name_en="Test University")
    college = OrganizationFactory(kind=OrganizationKind.COLLEGE, parent=university, name="机械学院")
    other_university = OrganizationFactory(kind=OrganizationKind.UNIVERSITY, name="另一所大学")
    other_college = OrganizationFactory(kind=OrganizationKind.COLLEGE, parent=other_university, name="化工学院")
    enterprise = OrganizationFactory(parent=zone, name="环保装备公司")
    other_enterprise = OrganizationFactory(parent=zone, name="电子公司")
    agency = OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="科技局")

    users = {name: UserFactory(username=name) for name in ROLES}
    users["admin"].is_superuser = users["admin"].is_staff = True
    users["admin"].save()
    MembershipFactory(user=users["enterprise"], organization=enterprise, role="enterprise_member", is_manager=True)
    MembershipFactory(user=users["outsider_enterprise"], organization=other_enterprise, role="enterprise_member",
                      is_manager=True)
    MembershipFactory(user=users["researcher"], organization=college, role="researcher")
    MembershipFactory(user=users["staff"], organization=university, role="university_staff")
    MembershipFactory(user=users["dean"], organization=college, role="university_staff")
    MembershipFactory(user=users["broker"], organization=centre, role="broker")
    MembershipFactory(user=users["officer"], organization=agency, role="government_officer")
    researcher_person = PersonFactory(organization=college, user=users["researcher"], name="张研究")
    other_person = PersonFactory(organization=other_college, name="李化工")
    return World(zone, centre, university, college, other_college, enterprise, other_enterprise, agency, users,
                 researcher_person, other_person)


@pytest.fixture
def login(client):
    def _login(user: Any) -> Any:
        client.force_login(user)
        return client

    return _login


# --- Playwright in Debian's Chromium (the Playwright browser download does not work here) --------------------
# One session-wide browser for every browser test, wherever it lives.
CHROMIUM = os.environ.get("QIAO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("QIAO_ARTIFACTS", Path(__file__).resolve().parents[1] / "artifacts"))
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")



@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-wqy-zenhei)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last, and mark every test that uses the browser."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
