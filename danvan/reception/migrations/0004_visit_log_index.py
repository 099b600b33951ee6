"""The log's order for one organization, id included (docs/benchmarks.md, issue 4).

`visits.visits_log` reads the ids of a page first; with the id in the
index, the rows a deep page skips are read from the index alone.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reception", "0003_visit_result_notice_and_search_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="visit",
            name="visit_org_day_idx",
        ),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(
                fields=["organization", "received_on", "number", "id"], name="visit_org_log_idx"
            ),
        ),
    ]
