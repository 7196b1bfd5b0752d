import pytest
from django.core.exceptions import ValidationError
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


def test_bilingual_form_field_keeps_the_languages_given() -> None:
    field = BilingualFormField(max_length=10)
    assert field.clean(["", "Steel"]) == {"en": "Steel"}
    assert field.clean(["钢", "Steel"]) == {"zh-hans": "钢", "en": "Steel"}


@pytest.mark.parametrize(("language", "message"), [("en", "Chinese or English"), ("zh-hans", "请填写中文或英文")])
def test_bilingual_form_field_needs_one_language(language: str, message: str) -> None:
    field = BilingualFormField(max_length=10)
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            field.clean(["", ""])
        assert message in str(error.value.messages)


def test_bilingual_form_field_limits_each_language() -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            BilingualFormField(max_length=3).clean(["", "Steel"])
        assert "under 3 characters" in str(error.value.messages)
