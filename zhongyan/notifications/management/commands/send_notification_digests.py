from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhongyan.notifications.digests import send_digests, send_due_digests
from zhongyan.notifications.models import EmailFrequency


class Command(BaseCommand):
    help = (
        "Send the notification digests. Run once a day from cron or a systemd timer: without an argument "
        "it sends the daily digests, and the weekly ones on Mondays; `daily` or `weekly` sends only those."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequency", nargs="?", choices=[EmailFrequency.DAILY.value, EmailFrequency.WEEKLY.value])

    def handle(self, *args: Any, frequency: str | None = None, **options: Any) -> None:
        counts = {frequency: send_digests(frequency=frequency)} if frequency else send_due_digests()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} digest(s) sent.")
