from dataclasses import dataclass
from typing import Any

import pytest

from qiao.catalog.models import Confidentiality, Need, NeedStatus
from tests.accounts.factories import MembershipFactory, UserFactory

SECRET_TITLE = "机密需求：高温烟气脱硝催化剂"


@dataclass
class Intro:
    world: Any
    secret_need: Any  # named-organizations only: nobody outside the enterprise may see it
    open_need: Any
    other_manager: Any  # manages the other university, whose researcher has no login


@pytest.fixture
def intro(world) -> Intro:
    secret = Need.objects.create(owner=world.enterprise, title=SECRET_TITLE, description="催化剂寿命短",
                                 confidentiality=Confidentiality.NAMED, status=NeedStatus.PUBLISHED)
    secret.named_organizations.set([world.agency])
    open_need = Need.objects.create(owner=world.enterprise, title="公开需求", description="x",
                                    confidentiality=Confidentiality.MEMBERS, status=NeedStatus.PUBLISHED)
    manager = UserFactory(username="other_manager")
    MembershipFactory(user=manager, organization=world.other_college.parent, role="university_staff")
    return Intro(world, secret, open_need, manager)
