"""Background work of the demands module (django-tasks; run `manage.py db_worker` in production,
and enqueue `close_expired_demands` from cron or call the management command of the same name)."""

from django_tasks import task

from zhongyan.demands import services


@task()
def close_expired_demands() -> int:
    """Close for proposals every published demand whose deadline has passed."""
    return services.close_expired_demands()
