"""Django admin (at /django-admin/, superusers only) for the platform core."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from danvan.core.models import User

admin.site.register(User, UserAdmin)
