import pytest
from django.urls import reverse

from qiao.catalog.models import Achievement, Capability, Need, Publication


@pytest.mark.parametrize("model", [Need, Achievement, Capability, Publication])
def test_admin_pages_render(login, world, needs, model):
    client = login(world.users["admin"])
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
    need = needs["public"]
    assert client.get(reverse("admin:catalog_need_change", args=[need.pk])).status_code == 200
