"""The portal's periodic task: move the buffered view counts into `ArticleViewDay`.

`flush_article_views` runs `counting.views_flush` (see that module for why
it is safe when two runs overlap). `scripts/run.sh` runs the command of the
same name every minute; a server runs it from cron or a systemd timer.
"""

from django.tasks import task

from danvan.portal.counting import views_flush


@task()
def flush_article_views() -> dict[str, int]:
    """Flush the buffered view counts; return what was added."""
    result = views_flush()
    return {"generation": result.generation, "rows": result.rows, "views": result.views}
