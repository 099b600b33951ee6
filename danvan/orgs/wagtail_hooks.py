"""Register the back-office for organizations and memberships with Wagtail."""

from wagtail import hooks

from danvan.orgs.viewsets import OrganizationsViewSetGroup


@hooks.register("register_admin_viewset")
def register_organizations_viewsets() -> OrganizationsViewSetGroup:
    """Add the "Organizations and roles" menu with its two viewsets."""
    return OrganizationsViewSetGroup()
