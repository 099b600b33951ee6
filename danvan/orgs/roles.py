"""What each role may do: the roles that read subordinate bodies, and the
Django group that mirrors each role.

A membership says *where* a user works and in which role; the group of
that role carries the coarse Django permissions (entering the Wagtail
admin, managing organizations) that Wagtail checks. Fine-grained checks
(which organization, on which day) are made by `danvan.orgs.selectors`.

Group names are data shown in the back-office, hence in Vietnamese. The
data migration `0002_role_groups` creates the groups with the permissions
below; other apps add their own permissions to these groups in their own
data migrations.
"""

from typing import Final

from danvan.orgs.models import Role

#: Roles whose holders also read every body below their own (any depth).
READER_ROLES: Final[frozenset[Role]] = frozenset(
    {Role.HEAD, Role.COMMISSION_STAFF, Role.ADMINISTRATOR}
)

#: The Django group that mirrors each role.
ROLE_GROUP_NAMES: Final[dict[Role, str]] = {
    Role.RECEPTION_OFFICER: "Cán bộ tiếp công dân",
    Role.HANDLER: "Chuyên viên xử lý đơn",
    Role.HEAD: "Lãnh đạo cơ quan",
    Role.COMMISSION_STAFF: "Cán bộ Ban Tuyên giáo và Dân vận",
    Role.EDITOR: "Biên tập viên",
    Role.ADMINISTRATOR: "Quản trị viên",
}

#: Every role group may enter the Wagtail admin.
ACCESS_ADMIN: Final = "wagtailadmin.access_admin"

#: Permissions (`app_label.codename`) of each role group, besides
#: `ACCESS_ADMIN`. Deleting an organization is left to superusers: bodies
#: are closed (`organization_close`), not deleted.
ROLE_GROUP_PERMISSIONS: Final[dict[Role, tuple[str, ...]]] = {
    Role.RECEPTION_OFFICER: (),
    Role.HANDLER: (),
    Role.HEAD: (),
    Role.COMMISSION_STAFF: (),
    Role.EDITOR: (),
    Role.ADMINISTRATOR: (
        "orgs.add_organization",
        "orgs.change_organization",
        "orgs.view_organization",
        "orgs.add_membership",
        "orgs.change_membership",
        "orgs.delete_membership",
        "orgs.view_membership",
        "core.add_calendaroverride",
        "core.change_calendaroverride",
        "core.delete_calendaroverride",
        "core.view_calendaroverride",
        "core.view_auditevent",
        "petitions.add_localtimelimit",
        "petitions.change_localtimelimit",
        "petitions.delete_localtimelimit",
        "petitions.view_localtimelimit",
    ),
}
