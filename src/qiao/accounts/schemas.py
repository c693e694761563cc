from ninja import Schema


class MembershipOut(Schema):
    id: int
    organization_id: int
    organization: str
    role: str
    is_manager: bool
    title: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    preferred_language: str
    is_platform_admin: bool
    memberships: list[MembershipOut]
