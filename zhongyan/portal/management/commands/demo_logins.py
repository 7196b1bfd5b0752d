"""`manage.py demo_logins`: the table of demo logins that `make run` prints before it starts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from zhongyan.accounts.models import User
from zhongyan.portal.demo_people import demo_password, personas


class Command(BaseCommand):
    help = "Print the demo persona logins (e-mail, password, what to try)."

    def handle(self, *args: Any, **options: Any) -> None:
        people = personas()
        loaded = set(User.objects.filter(email__in=[person.email for person in people]).values_list("email", flat=True))
        rows = [
            (person.persona.label, person.email, person.name_en, person.persona.tries_en)  # type: ignore[union-attr]
            for person in people
        ]
        headers = ("persona", "e-mail", "name", "try")
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins (password for all: {demo_password()})"))
        self.stdout.write(line(headers))
        self.stdout.write(line(tuple("-" * width for width in widths)))
        for person, row in zip(people, rows, strict=True):
            text = line(row)
            self.stdout.write(text if person.email in loaded else f"{text}  (not loaded: run manage.py load_demo)")
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/accounts/login/ (English: {settings.SITE_URL}/en/accounts/login/)"
        )
        self.stdout.write("")
