"""Demo content: the group's academic annual conference, with a main venue, a sub-venue and
guests on the wall (faces drawn as initials, since the demo has no photos of real people)."""

import datetime as dt
import hashlib
from io import BytesIO
from pathlib import Path
from typing import Any, TextIO

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from zhongyan.events.models import Attendance, Event, EventRole, Venue
from zhongyan.events.selfies import PHOTO_SIZE, THUMBNAIL_SIZE

TITLE = {"zh-hans": "第七届宝钢学术年会", "en": "7th Baosteel Academic Annual Conference"}
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
PALETTE = ["#0b5cad", "#c0392b", "#16a085", "#8e44ad", "#d35400", "#2c3e50", "#27ae60", "#b7950b"]
GUESTS = [
    ("王建国", "宝山基地冷轧厂"),
    ("李晓梅", "中央研究院"),
    ("Zhang Wei", "Steel University"),
    ("陈立新", "热轧厂"),
    ("Maria Rossi", "Automotive OEM"),
    ("刘洋", "炼钢厂"),
    ("赵敏", "船舶集团"),
    ("Kenji Sato", "Coating Supplier"),
    ("孙浩", "钢铁大学"),
    ("周婷", "吴淞口创新园"),
    ("吴磊", "材料研究所"),
    ("郑雪", "氢冶金初创公司"),
    ("Anna Müller", "Institute of Metallurgy"),
    ("冯涛", "设备供应商"),
    ("何静", "宝山基地冷轧厂"),
    ("许峰", "中央研究院"),
    ("David Kim", "Shipyard"),
    ("高远", "热轧厂"),
    ("林芳", "钢铁大学"),
    ("罗斌", "炼钢厂"),
]


def _face(name: str, size: int) -> bytes:
    colour = PALETTE[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(PALETTE)]
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    initials = name[:1] if ord(name[0]) > 0x2E80 else "".join(part[0] for part in name.split()[:2])
    try:
        font: Any = ImageFont.truetype(str(CJK_FONT), int(size * 0.42), index=2)
    except OSError:
        font = ImageFont.load_default(size=int(size * 0.42))
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    out = BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def load(stdout: TextIO, personas: dict[str, Any]) -> Event:
    host = personas["operator"]
    event = Event.objects.filter(title__en=TITLE["en"]).first()
    if event is not None:
        return event
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    event = Event.objects.create(
        title=TITLE,
        created_by=host,
        starts_at=start,
        ends_at=start + dt.timedelta(days=2, hours=8),
        description={
            "zh-hans": "集团年度学术盛会：主会场与分会场同步进行。"
            "来宾扫描大屏上的二维码即可加入，头像汇聚成旋转的创意之球。",
            "en": "The group's annual academic conference, at the main venue and a sub-venue at once. Guests scan the "
            "code on the screen to join, and their faces gather into a rotating ball of creativity.",
        },
        schedule={
            "zh-hans": "09:00 开幕式暨众研平台发布\n10:30 主题报告：氢冶金与低碳转型\n14:00 分会场：智能制造与工业 AI",
            "en": "09:00 Opening and launch of the platform\n10:30 Keynote: hydrogen metallurgy and the low-carbon "
            "transition\n14:00 Sub-venue: smart manufacturing and industrial AI",
        },
    )
    main = Venue.objects.create(event=event, name={"zh-hans": "主会场", "en": "Main venue"}, is_main=True)
    sub = Venue.objects.create(event=event, name={"zh-hans": "分会场", "en": "Sub-venue"}, position=1)
    EventRole.objects.create(event=event, user=host, role=EventRole.Role.HOST)
    for index, (name, organisation) in enumerate(GUESTS):
        guest = Attendance.objects.create(
            event=event,
            venue=main if index % 3 else sub,
            name=name,
            organisation_name=organisation,
            contact=f"guest{index}@demo.zhongyan.local",
        )
        guest.photo.save(f"{guest.public_id}.jpg", ContentFile(_face(name, PHOTO_SIZE)), save=False)
        guest.thumbnail.save(f"{guest.public_id}.jpg", ContentFile(_face(name, THUMBNAIL_SIZE)), save=False)
        guest.save()
    if "guest" in personas:
        Attendance.objects.get_or_create(
            event=event, user=personas["guest"], defaults={"venue": main, "name": personas["guest"].name}
        )
    stdout.write(f"events: {event} with {len(GUESTS)} guests on the wall\n")
    return event
