from __future__ import annotations

import factory

from steward.parties.choices import Side
from steward.parties.identity import normalize_legal_name, normalize_tax_id
from steward.parties.models import Contact, Organization, Relationship, RelationshipMember, Site
from steward.people.tests.factories import UserFactory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    legal_name = factory.Sequence(lambda n: f"Northwind Components {n} GmbH")
    display_name = factory.LazyAttribute(lambda o: o.legal_name.removesuffix(" GmbH"))
    tax_id = factory.Sequence(lambda n: f"DE{100000000 + n}")
    country = "DE"
    industry = "industrial"
    owner = factory.SubFactory(UserFactory)
    name_key = factory.LazyAttribute(lambda o: normalize_legal_name(o.legal_name))
    tax_id_key = factory.LazyAttribute(lambda o: normalize_tax_id(o.tax_id))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Plant {n}")
    kind = "plant"
    city = "Stuttgart"
    country = "DE"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"contact{n}@northwind.example")


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    organization = factory.SubFactory(OrganizationFactory)
    side = Side.SUPPLY
    owner = factory.SubFactory(UserFactory)


class RelationshipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelationshipMember

    relationship = factory.SubFactory(RelationshipFactory)
    user = factory.SubFactory(UserFactory)
    role = "procurement"
    access = "edit"
