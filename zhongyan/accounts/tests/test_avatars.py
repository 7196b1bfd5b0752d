"""Avatar processing (pure) and the avatar upload and views (HTTP)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zhongyan.accounts.avatars import AvatarRejected, process_avatar
from zhongyan.accounts.models import User
from zhongyan.accounts.tests import images
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry


def _open(data: bytes) -> Image.Image:
    return Image.open(BytesIO(data))


def test_jpeg_with_gps_is_stored_square_without_any_exif() -> None:
    result = process_avatar(BytesIO(images.jpeg_with_gps(800, 600)))
    large, thumb = _open(result.large), _open(result.thumbnail)
    assert large.size == (512, 512)
    assert thumb.size == (96, 96)
    for picture in (large, thumb):
        assert picture.format == "JPEG"
        assert not picture.getexif()
        assert "exif" not in picture.info


def test_exif_orientation_is_applied_before_the_tag_is_dropped() -> None:
    # Orientation 6: the camera stored the picture turned; viewers rotate it 90° clockwise.
    result = process_avatar(BytesIO(images.jpeg_with_gps(400, 200, orientation=6)))
    large = _open(result.large).convert("RGB")
    # The blue half (left of the stored picture) ends up on top after rotation.
    top = large.getpixel((256, 5))
    bottom = large.getpixel((256, 506))
    assert top[2] > 150 and top[0] < 100
    assert bottom[0] > 150


def test_transparent_png_becomes_an_opaque_jpeg() -> None:
    result = process_avatar(BytesIO(images.png()))
    assert _open(result.large).mode == "RGB"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 not a picture", b"GIF89a" + b"\0" * 100, images.gif(), b"\x89PNG\r\n\x1a\n broken"],
    ids=["pdf", "fake-gif", "gif", "broken-png"],
)
def test_files_that_are_not_jpeg_png_or_webp_are_refused(data: bytes) -> None:
    with pytest.raises(AvatarRejected):
        process_avatar(BytesIO(data))


def test_oversized_file_is_refused_before_decoding() -> None:
    with pytest.raises(AvatarRejected) as refused:
        process_avatar(BytesIO(images.jpeg_with_gps()), max_bytes=1000)
    assert "too large" in str(refused.value.message) or "太大" in str(refused.value.message)


def test_decompression_bomb_is_refused_from_its_header() -> None:
    with pytest.raises(AvatarRejected):
        process_avatar(BytesIO(images.png_bomb()))


def test_picture_just_over_our_pixel_limit_is_refused() -> None:
    with pytest.raises(AvatarRejected):
        process_avatar(BytesIO(images.png_bomb(8000, 7000)))


# --- through the profile page -------------------------------------------------------------------


def _profile_post(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "display_name_zh_hans": "赵磊",
        "display_name_en": "Zhao Lei",
        "headline_zh_hans": "高级工程师",
        "headline_en": "",
        "bio_zh_hans": "",
        "bio_en": "",
        "keywords": "镀锌, galvanizing",
        "publications": "",
        "availability": "available",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_uploading_a_photo_stores_both_sizes_and_records_an_audit_entry(as_user) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    upload = SimpleUploadedFile("holiday.jpg", images.jpeg_with_gps(), content_type="image/jpeg")
    response = as_user(user).post(reverse("accounts:profile_edit"), _profile_post(avatar=upload))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/") and user.avatar.name.endswith(".jpg")
    with user.avatar.open("rb") as stored:
        assert _open(stored.read()).size == (512, 512)
    with user.avatar_thumbnail.open("rb") as stored:
        picture = _open(stored.read())
        assert picture.size == (96, 96)
        assert not picture.getexif()
    assert AuditEntry.objects.filter(verb="accounts.avatar_set", target_id=user.public_id).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 this is a pdf", "请上传 JPEG、PNG 或 WebP 格式的图片。"),
        (images.png_bomb(), "图片像素过多。"),
    ],
    ids=["pdf", "bomb"],
)
def test_refused_avatar_shows_a_translated_error_and_keeps_what_was_typed(
    as_user,
    content: bytes,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    user = UserFactory(display_name={"zh-hans": "旧名字"})
    upload = SimpleUploadedFile("picture.jpg", content, content_type="image/jpeg")
    response = as_user(user).post(reverse("accounts:profile_edit"), _profile_post(avatar=upload))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="赵磊"' in html
    assert 'value="镀锌, galvanizing"' in html
    user.refresh_from_db()
    assert user.display_name == {"zh-hans": "旧名字"}
    assert not user.avatar


@pytest.mark.django_db
def test_oversized_avatar_is_refused_with_the_limit_in_the_message(as_user, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AVATAR_MAX_BYTES = 2048
    user = UserFactory()
    upload = SimpleUploadedFile("big.jpg", images.jpeg_with_gps(), content_type="image/jpeg")
    response = as_user(user).post(reverse("accounts:profile_edit"), _profile_post(avatar=upload))
    assert response.status_code == 200
    assert "图片太大" in response.content.decode()
    assert not User.objects.get(pk=user.pk).avatar


@pytest.mark.django_db
def test_avatar_view_serves_the_image_with_caching_headers(as_user) -> None:  # type: ignore[no-untyped-def]
    owner, viewer = UserFactory(), UserFactory()
    upload = SimpleUploadedFile("me.png", images.png(), content_type="image/png")
    as_user(owner).post(reverse("accounts:profile_edit"), _profile_post(avatar=upload))
    client = as_user(viewer)
    response = client.get(reverse("accounts:avatar", args=[owner.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("private, max-age=")
    etag = response["ETag"]
    response.close()
    assert (
        client.get(reverse("accounts:avatar", args=[owner.public_id]), headers={"If-None-Match": etag}).status_code
        == 304
    )
    thumb = client.get(reverse("accounts:avatar_thumbnail", args=[owner.public_id]))
    assert _open(b"".join(thumb.streaming_content)).size == (96, 96)  # type: ignore[attr-defined]
    thumb.close()


@pytest.mark.django_db
def test_avatar_view_is_404_for_unknown_ids_and_people_without_avatar(as_user) -> None:  # type: ignore[no-untyped-def]
    viewer = UserFactory()
    client = as_user(viewer)
    assert client.get(reverse("accounts:avatar", args=["nosuchperson2345"])).status_code == 404
    assert client.get(reverse("accounts:avatar_thumbnail", args=[viewer.public_id])).status_code == 404


@pytest.mark.django_db
def test_removing_the_avatar_deletes_the_files(as_user, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    client = as_user(user)
    client.post(reverse("accounts:profile_edit"), _profile_post(avatar=SimpleUploadedFile("a.png", images.png())))
    user.refresh_from_db()
    storage, name = user.avatar.storage, user.avatar.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:profile_edit"), _profile_post(remove_avatar="on"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.avatar
    assert not storage.exists(name)
