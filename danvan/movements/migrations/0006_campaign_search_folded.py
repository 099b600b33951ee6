"""Fold each campaign's name and theme for the list's search ("dan van kheo"
finds "Dân vận khéo"); fill it in for the campaigns already recorded."""

from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from danvan.core.text import fold

    campaign = apps.get_model("movements", "Campaign")
    rows = list(campaign.objects.only("pk", "name", "theme"))
    for row in rows:
        row.search_folded = fold(f"{row.name} {row.theme}".strip())
    campaign.objects.bulk_update(rows, ["search_folded"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("movements", "0005_default_pass_mark"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="search_folded",
            field=models.CharField(default="", editable=False, max_length=511),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
