"""Make the audit trail append-only in the database itself."""

from django.db import migrations

from danvan.core.migration_operations import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [append_only_triggers("core_auditevent", "audit events")]
