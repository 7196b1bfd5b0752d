import pytest
from django.test import Client

from zhongyan.accounts.models import User
from zhongyan.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_multipart_post_to_a_json_endpoint_with_a_session_is_a_400_not_a_500(outsider: User) -> None:
    # Django's CSRF check reads a multipart body as a form; the JSON body is then unreadable.
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(outsider)
    client.get("/dashboard/")
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/orgs/", {"name": "x"}, headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.json()["detail"] == "请以 JSON 格式发送请求正文。"
    assert not Organisation.objects.exists()
