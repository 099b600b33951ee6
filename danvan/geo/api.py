"""API endpoints of administrative units (mounted at /api/v1/units/)."""

from ninja import Router

router = Router()
