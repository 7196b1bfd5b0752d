from django.utils import translation

from zhongyan.core.content import BilingualFormField, localized


def test_localized_uses_active_language() -> None:
    with translation.override("en"):
        assert localized({"zh-hans": "氢脆", "en": "Hydrogen embrittlement"}) == "Hydrogen embrittlement"
    with translation.override("zh-hans"):
        assert localized({"zh-hans": "氢脆", "en": "Hydrogen embrittlement"}) == "氢脆"


def test_localized_falls_back_to_the_other_language() -> None:
    with translation.override("en"):
        assert localized({"zh-hans": "氢脆"}) == "氢脆"
    assert localized({}) == ""


def test_bilingual_form_field_needs_one_language() -> None:
    field = BilingualFormField(max_length=10)
    assert field.clean(["", "Steel"]) == {"en": "Steel"}
    try:
        field.clean(["", ""])
    except Exception as exc:  # noqa: BLE001
        assert "Chinese or English" in str(exc)
    else:
        raise AssertionError("empty value accepted")
