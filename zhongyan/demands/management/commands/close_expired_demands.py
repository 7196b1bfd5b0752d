from typing import Any

from django.core.management.base import BaseCommand

from zhongyan.demands import services


class Command(BaseCommand):
    help = "Close for proposals every published demand whose deadline has passed (run it from cron every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = services.close_expired_demands()
        self.stdout.write(f"Closed {closed} demand(s) whose deadline passed.")
