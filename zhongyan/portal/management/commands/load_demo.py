"""`manage.py load_demo`: the demo organisations, people and each module's demo content.

Idempotent: everything is found by a stable key (organisation code, e-mail address) and only
what is missing is created, so a second run changes nothing. The whole load is one
transaction: it lands complete or not at all.

Modules contribute through an optional `zhongyan/<app>/demo.py` with a
`load(stdout, **context)` function, called in layer order (lower layers first). A module's
`load` receives, by keyword and only if its signature names them, what was loaded before it:
`organisations` (code -> Organisation), `people` (e-mail -> User), `personas` (persona key ->
User), `password`, and the return value of every earlier module's `load` under the app's name
(e.g. `demands`).
"""

import importlib
import inspect
from typing import Any, TextIO

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from zhongyan.accounts.models import Field, User
from zhongyan.accounts.services import update_profile
from zhongyan.core import audit
from zhongyan.core.content import Bilingual
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.portal.demo_people import PEOPLE, DemoPerson, demo_password

# Layer order of STYLE.md. People are created after `orgs`, since memberships need organisations.
BEFORE_PEOPLE = ("accounts", "orgs")
AFTER_PEOPLE = (
    "demands",
    "proposals",
    "catalog",
    "matching",
    "contracts",
    "ideas",
    "projects",
    "events",
    "notifications",
)


def _text(zh: str, en: str) -> Bilingual:
    return {code: text for code, text in (("zh-hans", zh), ("en", en)) if text}


def _demo_module(app: str) -> Any | None:
    name = f"zhongyan.{app}.demo"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in (name, f"zhongyan.{app}"):
            return None
        raise


def _call_load(module: Any, stdout: TextIO, context: dict[str, Any]) -> Any:
    parameters = inspect.signature(module.load).parameters
    takes_any = any(parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in parameters.values())
    kwargs = {name: value for name, value in context.items() if takes_any or name in parameters}
    return module.load(stdout, **kwargs)


class PeopleLoader:
    """Creates the missing demo people with verified e-mail, profile and memberships."""

    def __init__(self, stdout: TextIO, organisations: dict[str, Organisation], password: str) -> None:
        self.stdout = stdout
        self.organisations = organisations
        # One hash for everyone: hashing ~30 passwords one by one costs tens of seconds at
        # Django's iteration count, and the demo password is shared and public anyway.
        self.password_hash = make_password(password)
        self.fields = {field.code: field for field in Field.objects.all()}
        self.unknown_fields: set[str] = set()
        self.missing_organisations: set[str] = set()

    def load(self) -> dict[str, User]:
        people: dict[str, User] = {}
        created = memberships = 0
        for person in PEOPLE:
            user, was_created = self._user(person)
            created += was_created
            memberships += self._membership(person, user)
            people[user.email] = user
        self.stdout.write(
            f"People: {created} created, {len(people) - created} already there; {memberships} memberships created.\n"
        )
        if self.unknown_fields:
            self.stdout.write(f"Skipped unknown field codes: {', '.join(sorted(self.unknown_fields))}.\n")
        if self.missing_organisations:
            self.stdout.write(
                f"No memberships in missing organisations: {', '.join(sorted(self.missing_organisations))}.\n"
            )
        return people

    def _user(self, person: DemoPerson) -> tuple[User, bool]:
        email = person.email.lower()
        user = User.objects.filter(email=email).first()
        if user is not None:
            return user, False
        user = User.objects.create(
            email=email,
            password=self.password_hash,
            is_staff=person.operator,
            # Operators use the Django admin site, which shows nothing to staff without permissions.
            is_superuser=person.operator,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        audit.record(None, "accounts.user_created", user, {"source": "demo"})
        update_profile(
            actor=user,
            user=user,
            changes={
                "display_name": _text(person.name_zh, person.name_en),
                "headline": _text(person.headline_zh, person.headline_en),
                "bio": _text(person.bio_zh, person.bio_en),
                "keywords": person.keywords,
                "publications": person.publications,
                "languages": list(person.languages),
                "availability": person.availability,
            },
            fields=self._fields(person.fields),
        )
        return user, True

    def _fields(self, codes: tuple[str, ...]) -> list[Field]:
        self.unknown_fields.update(code for code in codes if code not in self.fields)
        return [self.fields[code] for code in codes if code in self.fields]

    def _membership(self, person: DemoPerson, user: User) -> bool:
        if person.organisation is None:
            return False
        organisation = self.organisations.get(person.organisation)
        if organisation is None:
            self.missing_organisations.add(person.organisation)
            return False
        membership, created = Membership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"role": person.role}
        )
        if created:
            audit.record(
                None,
                "orgs.member_added",
                organisation,
                {"user": user.public_id, "role": membership.role, "source": "demo"},
            )
        return created


class Command(BaseCommand):
    help = "Load the demo organisations, people and content. Safe to run again: only what is missing is created."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=None,
            help="password of every demo login (default: $ZHONGYAN_DEMO_PASSWORD or 'zhongyan-demo'); "
            "only used for people created in this run",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or demo_password()
        context: dict[str, Any] = {"organisations": {}, "people": {}, "personas": {}, "password": password}
        # The demo's notifications stay in-app: e-mails to made-up addresses would flood the
        # console of `make run` (or, with SMTP configured, go out for real).
        outbox = getattr(mail, "outbox", None)  # a test's outbox survives the load untouched
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            try:
                self._load_all(context)
                held_back = len(mail.outbox)
            finally:
                if outbox is None:
                    del mail.outbox
                else:
                    mail.outbox = outbox
        if held_back:
            self.stdout.write(f"{held_back} demo e-mails were not sent (their notifications are in the app).\n")
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. `manage.py demo_logins` lists the logins."))

    def _load_all(self, context: dict[str, Any]) -> None:
        with transaction.atomic():
            for app in BEFORE_PEOPLE:
                self._load_module(app, context)
            people = PeopleLoader(self.stdout, context["organisations"], context["password"]).load()
            context["people"] = people
            context["personas"] = {
                person.persona.key: people[person.email.lower()] for person in PEOPLE if person.persona is not None
            }
            for app in AFTER_PEOPLE:
                self._load_module(app, context)

    def _load_module(self, app: str, context: dict[str, Any]) -> None:
        module = _demo_module(app)
        if module is None or not hasattr(module, "load"):
            if app == "orgs":
                self.stdout.write("zhongyan.orgs.demo is not there yet: people get no memberships.\n")
            return
        result = _call_load(module, self.stdout, context)
        if app == "orgs":
            context["organisations"] = result or {}
        elif result is not None:
            context[app] = result
