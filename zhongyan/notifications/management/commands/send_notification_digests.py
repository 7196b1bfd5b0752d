from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhongyan.notifications.digests import send_digests
from zhongyan.notifications.models import EmailFrequency


class Command(BaseCommand):
    help = "Send the daily or weekly notification digests (run from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequency", choices=[EmailFrequency.DAILY.value, EmailFrequency.WEEKLY.value])

    def handle(self, *args: Any, frequency: str, **options: Any) -> None:
        count = send_digests(frequency=frequency)
        self.stdout.write(f"{count} digest(s) sent.")
