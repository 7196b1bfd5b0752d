from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhongyan.core.audit import verify_chain
from zhongyan.core.audit_models import AuditEntry


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit non-zero if any entry was edited, inserted or deleted."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(f"entry {problem.seq}: {problem.kind}: {problem.detail}")
            raise CommandError(f"The audit log is broken in {len(problems)} place(s).")
        self.stdout.write(self.style.SUCCESS(f"The audit log is intact ({AuditEntry.objects.count()} entries)."))
