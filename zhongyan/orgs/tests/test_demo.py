import io

from zhongyan.orgs import demo
from zhongyan.orgs.models import Organisation


def test_demo_organisations_load_once_and_again_without_duplicates(db: None) -> None:
    first = demo.load(io.StringIO())
    second = demo.load(out := io.StringIO())
    assert "0 created" in out.getvalue()
    assert {code: org.pk for code, org in first.items()} == {code: org.pk for code, org in second.items()}
    assert Organisation.objects.count() == len(demo.ORGANISATIONS) == 14
    kinds = [org.kind for org in first.values()]
    assert kinds.count("operator") == 1 and kinds.count("business_unit") == 3 and kinds.count("customer") == 2
    assert kinds.count("university") + kinds.count("institute") == 3
    assert kinds.count("supplier") == 2 and kinds.count("startup") == 2 and kinds.count("park") == 1
    pending = Organisation.objects.exclude(verification="verified")
    assert [(o.kind, o.slug) for o in pending] == [("startup", "zhijian-ai")]
    assert all(org.name.get("zh-hans") and org.name.get("en") for org in first.values())
    assert all(org.description.get("zh-hans") and org.description.get("en") for org in first.values())
