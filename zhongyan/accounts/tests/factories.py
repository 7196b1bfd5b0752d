import factory
from allauth.account.models import EmailAddress

from zhongyan.accounts.models import Field, User
from zhongyan.core.content import bilingual

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: bilingual(zh=f"用户{n}", en=f"Person {n}"))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        operator = factory.Trait(is_staff=True)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Users have a verified primary e-mail unless made with verified=False."""
        if create:
            self.save()
            if extracted is not False:
                EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name = factory.Sequence(lambda n: bilingual(zh=f"领域{n}", en=f"Field {n}"))
