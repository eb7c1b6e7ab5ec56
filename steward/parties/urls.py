from django.urls import path

from steward.parties import selectors
from steward.parties.views import documents, organizations, people_and_places, relationships
from steward.parties.views.common import archive_view, reassign_view

app_name = "parties"

urlpatterns = [
    # organizations
    path("organizations/", organizations.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/new/", organizations.organization_create, name="organization-create"),
    path(
        "organizations/check-name/",
        organizations.organization_check_name,
        name="organization-check-name",
    ),
    path("organizations/lookup/", organizations.organization_lookup, name="organization-lookup"),
    path("organizations/<int:pk>/", organizations.organization_detail, name="organization-detail"),
    path("organizations/<int:pk>/edit/", organizations.organization_edit, name="organization-edit"),
    path(
        "organizations/<int:pk>/reassign/",
        reassign_view(selectors.organization_get),
        name="organization-reassign",
    ),
    path(
        "organizations/<int:pk>/archive/",
        archive_view(selectors.organization_get),
        name="organization-archive",
    ),
    path(
        "organizations/<int:pk>/restore/",
        archive_view(selectors.organization_get, restore=True),
        name="organization-restore",
    ),
    # sites and contacts
    path(
        "organizations/<int:organization_pk>/sites/new/",
        people_and_places.site_create,
        name="site-create",
    ),
    path("sites/<int:pk>/", people_and_places.site_detail, name="site-detail"),
    path("sites/<int:pk>/edit/", people_and_places.site_edit, name="site-edit"),
    path("sites/<int:pk>/archive/", archive_view(selectors.site_get), name="site-archive"),
    path(
        "sites/<int:pk>/restore/",
        archive_view(selectors.site_get, restore=True),
        name="site-restore",
    ),
    path("contacts/", people_and_places.ContactListView.as_view(), name="contact-list"),
    path(
        "organizations/<int:organization_pk>/contacts/new/",
        people_and_places.contact_create,
        name="contact-create",
    ),
    path("contacts/<int:pk>/", people_and_places.contact_detail, name="contact-detail"),
    path("contacts/<int:pk>/edit/", people_and_places.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/archive/", archive_view(selectors.contact_get), name="contact-archive"),
    path(
        "contacts/<int:pk>/restore/",
        archive_view(selectors.contact_get, restore=True),
        name="contact-restore",
    ),
    # relationships
    # The demand-side relationships as the parties app lists them; the "Accounts" menu entry
    # leads to the key-account portfolio (the accounts app) at /accounts/.
    path("relationships/accounts/", relationships.AccountListView.as_view(), name="account-list"),
    path(
        "relationships/",
        relationships.RelationshipListView.as_view(title="Relationships"),
        name="relationship-list",
    ),
    path("relationships/new/", relationships.relationship_create, name="relationship-create"),
    path("relationships/<int:pk>/", relationships.relationship_detail, name="relationship-detail"),
    path("relationships/<int:pk>/edit/", relationships.relationship_edit, name="relationship-edit"),
    path(
        "relationships/<int:pk>/reassign/",
        reassign_view(selectors.relationship_get),
        name="relationship-reassign",
    ),
    path(
        "relationships/<int:pk>/archive/",
        archive_view(selectors.relationship_get),
        name="relationship-archive",
    ),
    path(
        "relationships/<int:pk>/restore/",
        archive_view(selectors.relationship_get, restore=True),
        name="relationship-restore",
    ),
    path("relationships/<int:pk>/team/", relationships.member_add, name="member-add"),
    path("team-members/<int:pk>/remove/", relationships.member_remove, name="member-remove"),
    # documents
    path(
        "organizations/<int:organization_pk>/documents/new/",
        documents.document_upload,
        name="document-upload",
    ),
    path("documents/<int:pk>/download/", documents.document_download, name="document-download"),
    path(
        "documents/<int:pk>/archive/", archive_view(selectors.document_get), name="document-archive"
    ),
]
