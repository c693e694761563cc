import factory

from qiao.directory.models import Major, Organization, OrganizationKind, Person
from qiao.directory.validators import uscc_check_char


def make_uscc(n: int) -> str:
    body = f"91370200{n:09d}"
    return body + uscc_check_char(body)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"测试企业{n}")
    name_en = factory.Sequence(lambda n: f"Test Enterprise {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"研究员{n}")
    name_en = factory.Sequence(lambda n: f"Researcher {n}")
    organization = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.COLLEGE)


class MajorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Major

    name = factory.Sequence(lambda n: f"专业{n}")
    college = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.COLLEGE)
