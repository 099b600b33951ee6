"""The inbox of one body and the inbox of a commune, read in due-date order.

- `petition_org_due_idx` (organization, expected_response_by, id), every
  status: a user who reads one body (most handlers) sees its petitions by
  due date read in order from that body's rows (`selectors.petitions_visible_to`
  names the body in the query). Before, "all statuses" and a search walked
  the due dates of every body: at 1M petitions, 18,542 rows read for a page
  of a search (docs/benchmarks.md, issue 3, seventh round).
- `petition_commune_due_idx` (commune, expected_response_by, id) replaces
  `petition_commune_idx` (commune alone, which the foreign key's own index
  already gave): the inbox filtered by a commune reads that commune's
  petitions in order (it read 249,009 rows, 187 ms, for one page).

Each index takes about a second to build at 1M petitions on PostgreSQL,
inside the migration's transaction.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0001_initial"),
        ("orgs", "0004_membership_is_deputy"),
        ("petitions", "0011_public_answers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="petition",
            name="petition_commune_idx",
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                fields=["commune", "expected_response_by", "id"], name="petition_commune_due_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                fields=["organization", "expected_response_by", "id"], name="petition_org_due_idx"
            ),
        ),
    ]
