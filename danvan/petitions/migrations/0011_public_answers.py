"""Public answers: the sender's consent and the text a handler approved (decision 0013).

The new columns have their default in the database as well (`db_default`): on
PostgreSQL adding a column with a constant default changes the catalogue only (no
rewrite of the table), and a bulk load by COPY that leaves them out still works.
The partial index holds the published petitions only, a small part of the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0010_period_index_and_search_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="public_answer",
            field=models.TextField(
                blank=True, db_default="", default="", verbose_name="public answer"
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="public_question",
            field=models.TextField(
                blank=True, db_default="", default="", verbose_name="public question"
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="public_search_text",
            field=models.TextField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                verbose_name="public search text",
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="public_title",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=255, verbose_name="public title"
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="publish_consent",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="agreed to publication"
            ),
        ),
        migrations.AddField(
            model_name="petition",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="published at"),
        ),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["-published_at", "-id"],
                name="petition_published_idx",
            ),
        ),
    ]
