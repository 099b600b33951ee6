"""Register the back-office pages of administrative units and clusters."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from danvan.geo.choosers import CommuneChooserViewSet, commune_chooser_viewset
from danvan.geo.viewsets import READ_ONLY_MODELS, ReadOnlyPermissionPolicy, UnitsViewSetGroup

# Registered before any viewset asks for a policy, which would create the
# default (editable) one.
for _model in READ_ONLY_MODELS:
    register_permission_policy(_model, ReadOnlyPermissionPolicy(_model), exact_class=True)


@hooks.register("register_admin_viewset")
def register_units_viewsets() -> UnitsViewSetGroup:
    """Add the "Administrative units" menu and its pages."""
    return UnitsViewSetGroup()


@hooks.register("register_admin_viewset")
def register_commune_chooser() -> CommuneChooserViewSet:
    """Add the commune chooser used by forms that name a commune."""
    return commune_chooser_viewset
