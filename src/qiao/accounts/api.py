from django.http import HttpRequest
from ninja import Router

from .schemas import MembershipOut, MeOut
from .selectors import user_memberships

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    user = request.user
    memberships = [
        MembershipOut(id=m.pk, organization_id=m.organization_id, organization=str(m.organization), role=m.role,
                      is_manager=m.is_manager, title=m.title)
        for m in user_memberships(user=user)
    ]
    return MeOut(id=user.pk or 0, username=user.username, display_name=user.display_name,  # type: ignore[union-attr]
                 email=user.email, preferred_language=user.preferred_language,  # type: ignore[union-attr]
                 is_platform_admin=user.is_superuser, memberships=memberships)
