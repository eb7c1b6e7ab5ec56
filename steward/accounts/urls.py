"""Routes of the account pages: the portfolio, each account's workspace and its records."""

from django.urls import URLPattern, path

from steward.accounts.views import portfolio, records, whitespace, workspace

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("accounts/", portfolio.PortfolioPage.as_view(), name="account-list"),
    path("accounts/<int:pk>/", workspace.account_detail, name="account-detail"),
    path("accounts/<int:pk>/whitespace/", workspace.account_whitespace, name="whitespace"),
    path("accounts/<int:pk>/whitespace/fill/", whitespace.whitespace_fill, name="whitespace-fill"),
    path(
        "accounts/<int:pk>/whitespace/figures/",
        whitespace.whitespace_figures,
        name="whitespace-figures",
    ),
    path("accounts/<int:pk>/profile/", records.profile_edit, name="profile-edit"),
    path("accounts/<int:pk>/installed/new/", records.installed_new, name="installed-new"),
    path("accounts/<int:pk>/buying-units/new/", records.unit_new, name="unit-new"),
    path("accounts/installed/<int:pk>/edit/", records.installed_edit, name="installed-edit"),
    path("accounts/installed/<int:pk>/end/", records.installed_end, name="installed-end"),
    path(
        "accounts/installed/<int:pk>/archive/",
        records.record_archive,
        {"kind": "installed"},
        name="installed-archive",
    ),
    path("accounts/buying-units/<int:pk>/edit/", records.unit_edit, name="unit-edit"),
    path(
        "accounts/buying-units/<int:pk>/archive/",
        records.record_archive,
        {"kind": "unit"},
        name="unit-archive",
    ),
    path("accounts/cells/<int:pk>/", whitespace.cell_edit, name="cell-edit"),
]
