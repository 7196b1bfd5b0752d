"""Re-read every expert and demand, re-encode what changed and drop what is no longer matchable."""

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from zhongyan.matching.services import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the stored matching embeddings and this process's index, with a progress bar."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=64, help="Items encoded per batch.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (logs, cron).")

    def handle(self, *args: Any, batch: int, no_progress: bool, **options: Any) -> None:
        bars: dict[str, tqdm] = {}

        def progress(item_type: str, done: int, total: int) -> None:
            if no_progress:
                return
            bar = bars.get(item_type)
            if bar is None:
                bar = bars[item_type] = tqdm(total=total, desc=item_type, unit="item", file=self.stderr._out)
            bar.update(done - bar.n)

        counts = rebuild_index(batch=batch, progress=progress)
        for bar in bars.values():
            bar.close()
        summary = ", ".join(f"{item_type}: {count} re-encoded" for item_type, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Match index rebuilt ({summary})."))
