import pytest
from django.test import Client

from zhongyan.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("prefix", "text"), [("", "页面不存在"), ("/en", "Page not found")])
def test_unknown_page_is_a_translated_404(prefix: str, text: str, outsider: User) -> None:
    client = Client()
    client.force_login(outsider)
    response = client.get(f"{prefix}/orgs/nonexistent-id-00/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_dashboard_needs_sign_in() -> None:
    response = Client().get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_dashboard_greets_the_user(owner: User) -> None:
    client = Client()
    client.force_login(owner)
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    assert "Welcome" in response.content.decode()


def test_server_error_page_renders_without_context(rf) -> None:  # type: ignore[no-untyped-def]
    from zhongyan.portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "出错了" in response.content.decode() or "Something went wrong" in response.content.decode()


def test_api_schema_and_docs_are_served_locally() -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Zhongyan API"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_api_refuses_anonymous_and_accepts_a_token(owner: User) -> None:
    from zhongyan.accounts.tokens import create_api_token

    client = Client()
    assert client.get("/api/v1/me").status_code == 401
    _token, key = create_api_token(user=owner, name="ci")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["email"] == owner.email


def test_an_exhausted_database_is_a_translated_503_not_a_500(rf) -> None:  # type: ignore[no-untyped-def]
    from django.db import OperationalError

    from zhongyan.portal.views import server_error

    try:
        raise OperationalError("connection pool exhausted")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "几秒钟后再试" in response.content.decode()
