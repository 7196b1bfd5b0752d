"""Pages and API: bad input is refused with translated messages and nothing typed is lost."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhongyan.ideas import services
from zhongyan.ideas.models import Idea
from zhongyan.ideas.tests.factories import make_idea

pytestmark = pytest.mark.django_db


def test_an_idea_without_a_title_is_refused_in_chinese_and_the_text_is_kept(
    campaign: Any, owner: Any, as_user: Any
) -> None:
    response = as_user(owner).post(
        reverse("ideas:idea_create", args=[campaign.public_id]),
        {"title_zh_hans": "", "title_en": "", "description_zh_hans": "用转炉煤气余热发电的新思路", "action": "submit"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请用中文或英文填写" in html or "中文或英文" in html
    assert "用转炉煤气余热发电的新思路" in html
    assert not Idea.objects.exists()


def test_a_bad_attachment_is_refused_in_english_and_the_rest_is_kept(campaign: Any, owner: Any, as_user: Any) -> None:
    response = as_user(owner).post(
        "/en" + reverse("ideas:idea_create", args=[campaign.public_id]),
        {
            "title_en": "Slag heat recovery",
            "description_en": "Dry granulation of slag",
            "attachments": SimpleUploadedFile("virus.exe", b"MZ\x90"),
            "action": "submit",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Attach PDF, Word" in html
    assert "Slag heat recovery" in html and "Dry granulation of slag" in html
    assert not Idea.objects.exists()


def test_saving_a_draft_then_submitting_it(campaign: Any, owner: Any, as_user: Any) -> None:
    client = as_user(owner)
    client.post(
        reverse("ideas:idea_create", args=[campaign.public_id]),
        {
            "title_zh_hans": "钢渣碳酸化固碳",
            "action": "draft",
            "attachments": SimpleUploadedFile("a.txt", "说明".encode()),
        },
    )
    idea = Idea.objects.get()
    assert idea.status == Idea.Status.DRAFT and idea.attachments.count() == 1
    response = client.post(reverse("ideas:idea_submit", args=[idea.public_id]))
    idea.refresh_from_db()
    assert idea.status == Idea.Status.DRAFT  # no description yet
    assert response.status_code == 302
    client.post(
        reverse("ideas:idea_edit", args=[idea.public_id]),
        {"title_zh_hans": "钢渣碳酸化固碳", "description_zh_hans": "用钢渣吸收二氧化碳。", "action": "submit"},
    )
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SUBMITTED


def test_unknown_co_author_is_refused_with_the_address(campaign: Any, owner: Any, as_user: Any) -> None:
    response = as_user(owner).post(
        "/en" + reverse("ideas:idea_create", args=[campaign.public_id]),
        {"title_en": "Idea", "description_en": "Text", "co_authors": "nobody@example.com", "action": "submit"},
    )
    assert "No one is registered with the e-mail address nobody@example.com" in response.content.decode()


def test_an_empty_comment_is_refused_and_a_good_one_is_shown(idea: Any, owner: Any, as_user: Any) -> None:
    client = as_user(owner)
    refused = client.post(reverse("ideas:comment_post", args=[idea.public_id]), {"body": ""})
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
    client.post(reverse("ideas:comment_post", args=[idea.public_id]), {"body": "建议先做热平衡计算"})
    assert "建议先做热平衡计算" in client.get(reverse("ideas:idea_detail", args=[idea.public_id])).content.decode()


def test_a_hidden_comment_shows_its_reason_to_its_author_only(
    idea: Any, owner: Any, solver: Any, moderator: Any, as_user: Any
) -> None:
    comment = services.post_comment(actor=solver, idea=idea, body="跑题的广告")
    services.hide_comment(actor=moderator, comment=comment, reason="与主题无关")
    url = reverse("ideas:idea_detail", args=[idea.public_id])
    author_view = as_user(solver).get(url).content.decode()
    other_view = as_user(owner).get(url).content.decode()
    assert "与主题无关" in author_view and "跑题的广告" in author_view
    assert "与主题无关" not in other_view and "跑题的广告" not in other_view


def test_voting_through_htmx_returns_the_fresh_count(idea: Any, owner: Any, as_user: Any) -> None:
    response = as_user(owner).post(
        reverse("ideas:idea_vote", args=[idea.public_id]), {"vote": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="vote-count">1<' in response.content.decode()


def test_bulk_stage_move_from_the_moderation_page(
    campaign: Any, idea: Any, operator: Any, moderator: Any, as_user: Any
) -> None:
    other = make_idea(campaign, operator)
    stage = campaign.stages.get(position=2)
    response = as_user(moderator).post(
        reverse("ideas:campaign_bulk_stage", args=[campaign.public_id]),
        {"ideas": [idea.public_id, other.public_id], "stage": stage.pk},
    )
    assert response.status_code == 302
    assert set(Idea.objects.values_list("stage__position", flat=True)) == {2}


def test_the_bulk_move_message_counts_one_idea_in_the_singular(
    campaign: Any, idea: Any, moderator: Any, as_user: Any
) -> None:
    url = reverse("ideas:campaign_bulk_stage", args=[campaign.public_id])
    data = {"ideas": [idea.public_id], "stage": campaign.stages.get(position=1).pk}
    response = as_user(moderator).post("/en" + url, data, follow=True)
    assert "1 idea moved." in response.content.decode()
    response = as_user(moderator).post(url, data, follow=True)
    assert "已移动 0 个创意。" in response.content.decode()


def test_the_funnel_counts_reached_stages_and_participation(
    campaign: Any, idea: Any, operator: Any, owner: Any, moderator: Any, as_user: Any
) -> None:
    make_idea(campaign, operator)
    services.advance_idea(actor=moderator, idea=idea, stage=campaign.stages.get(position=1))
    services.cast_vote(actor=owner, idea=idea)
    services.post_comment(actor=owner, idea=idea, body="赞")
    from zhongyan.ideas.analytics import funnel

    data = funnel(campaign)
    assert [row.reached for row in data["rows"]][:3] == [2, 1, 0]
    assert data["rows"][1].conversion == 0.5
    assert data["participation"] == {
        "submitters": 2,
        "commenters": 1,
        "voters": 1,
        "ideas": 2,
        "comments": 1,
        "votes": 1,
    }
    html = as_user(moderator).get(reverse("ideas:campaign_funnel", args=[campaign.public_id])).content.decode()
    assert "<svg" in html and "<script" not in html.split("</footer>")[0]


def test_api_creates_comments_and_votes_through_the_services(
    campaign: Any, idea: Any, owner: Any, as_user: Any
) -> None:
    client = as_user(owner)
    created = client.post(
        f"/api/v1/ideas/campaigns/{campaign.public_id}/ideas",
        {"title": {"en": "Waste heat to hydrogen"}, "description": {"en": "Use slag heat for electrolysis."}},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["stage"]["position"] == 0
    assert client.post(f"/api/v1/ideas/ideas/{idea.public_id}/vote").json() == {"voted": True, "vote_count": 1}
    assert client.post(f"/api/v1/ideas/ideas/{idea.public_id}/vote").json()["vote_count"] == 1
    comment = client.post(
        f"/api/v1/ideas/ideas/{idea.public_id}/comments", {"body": "好"}, content_type="application/json"
    )
    assert comment.status_code == 201
    empty = client.post(
        f"/api/v1/ideas/ideas/{idea.public_id}/comments", {"body": " "}, content_type="application/json"
    )
    assert empty.status_code == 400
    listed = client.get(f"/api/v1/ideas/campaigns/{campaign.public_id}/ideas").json()
    assert listed["count"] == 2


def test_the_campaign_form_refuses_a_bad_funnel_and_keeps_the_text(operator: Any, as_user: Any) -> None:
    response = as_user(operator).post(
        "/en" + reverse("ideas:campaign_create"),
        {
            "title_en": "Slag valorisation",
            "description_en": "Ideas for slag",
            "audience": "everyone",
            "opens_at": "2026-01-01T08:00",
            "closes_at": "2026-12-31T08:00",
            "stages": "Only one | stage",
            "criteria": "新颖 | Novelty | x",
            "auto_advance_min_reviews": "2",
        },
    )
    html = response.content.decode()
    assert "A funnel has between 3 and 12 stages." in html
    assert "weight from 1 to 100" in html
    assert "Slag valorisation" in html


def test_the_operator_creates_then_edits_a_campaign_through_the_form(
    operator: Any, moderator: Any, as_user: Any
) -> None:
    from zhongyan.ideas.models import Campaign

    client = as_user(operator)
    data = {
        "title_zh_hans": "钢渣高值化利用",
        "description_zh_hans": "征集钢渣综合利用创意",
        "audience": "partners",
        "opens_at": "2026-01-01T08:00",
        "closes_at": "2027-12-31T08:00",
        "stages": "已提交 | Submitted\n筛选 | Screening\n入选 | Selected\n已转化 | Converted",
        "criteria": "新颖 | Novelty | 2\n价值 | Value | 3",
        "moderators": moderator.email,
        "auto_advance_min_reviews": "2",
    }
    created = client.post(reverse("ideas:campaign_create"), data)
    campaign = Campaign.objects.get()
    assert (
        created.status_code == 302 and campaign.stages.count() == 4 and list(campaign.moderators.all()) == [moderator]
    )
    data["stages"] += "\n归档 | Archived"
    data["anonymous"] = "on"
    edited = client.post(reverse("ideas:campaign_edit", args=[campaign.public_id]), data)
    campaign.refresh_from_db()
    assert edited.status_code == 302 and campaign.anonymous and campaign.stages.count() == 5
    assert client.get(reverse("ideas:campaign_edit", args=[campaign.public_id])).status_code == 200


def test_comment_edit_report_and_hide_pages_work(
    idea: Any, owner: Any, solver: Any, moderator: Any, as_user: Any
) -> None:
    comment = services.post_comment(actor=solver, idea=idea, body="原文")
    edit_url = reverse("ideas:comment_edit", args=[idea.public_id, comment.public_id])
    assert as_user(solver).get(edit_url).status_code == 200
    assert as_user(owner).get(edit_url).status_code == 404
    as_user(solver).post(edit_url, {"body": "改过的"})
    report_url = reverse("ideas:comment_report", args=[idea.public_id, comment.public_id])
    refused = as_user(owner).post(report_url, {"reason": ""})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    as_user(owner).post(report_url, {"reason": "不友善"})
    moderation = as_user(moderator).get(reverse("ideas:campaign_moderate", args=[idea.campaign.public_id]))
    assert "不友善" in moderation.content.decode()
    as_user(moderator).post(reverse("ideas:comment_hide", args=[idea.public_id, comment.public_id]), {"reason": "重复"})
    comment.refresh_from_db()
    assert comment.body == "改过的" and comment.hidden_reason == "重复"


def test_attachments_are_served_only_to_those_who_see_the_idea(
    operator: Any, teammate: Any, owner: Any, solver: Any, as_user: Any
) -> None:
    from zhongyan.ideas.models import Campaign
    from zhongyan.ideas.tests.factories import make_campaign

    idea = make_idea(make_campaign(operator, audience=Campaign.Audience.EMPLOYEES), teammate)
    attachment = services.add_attachment(actor=teammate, idea=idea, upload=SimpleUploadedFile("p.pdf", b"%PDF-1.4 x"))
    url = reverse("ideas:attachment", args=[idea.public_id, attachment.public_id])
    served = as_user(owner).get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"%PDF-1.4 x"
    served.close()
    assert as_user(solver).get(url).status_code == 404


def test_mentions_are_highlighted_and_markup_is_escaped(idea: Any, owner: Any, as_user: Any) -> None:
    services.post_comment(actor=owner, idea=idea, body="<b>注意</b> @solver 看看")
    html = as_user(owner).get(reverse("ideas:idea_detail", args=[idea.public_id])).content.decode()
    assert '<span class="text-primary fw-semibold">@solver</span>' in html
    assert "&lt;b&gt;注意&lt;/b&gt;" in html
