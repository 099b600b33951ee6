"""Make a petition's case events append-only in the database itself."""

from django.db import migrations

from danvan.core.migration_operations import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("petitions", "0002_petition_add_clock_fields")]
    operations = [append_only_triggers("petitions_caseevent", "case events")]
