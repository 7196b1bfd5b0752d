"""Background re-encoding (django-tasks). In the embedded default the immediate backend runs them
at once after the commit that sent the signal; in production `manage.py db_worker` runs them."""

from django_tasks import task

from zhongyan.matching import services


@task()
def reindex_expert(user_id: int) -> int:
    return services.reindex_expert(user_id)


@task()
def reindex_demand(demand_id: int) -> int:
    return services.reindex_demand(demand_id)


@task()
def reindex_organisation(organisation_id: int) -> int:
    return services.reindex_organisation(organisation_id)


@task()
def reindex_member_organisations(user_id: int) -> int:
    return services.reindex_member_organisations(user_id)
