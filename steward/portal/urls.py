"""Routes of the portal pages."""

from django.urls import URLPattern, path

from steward.portal import views

app_name = "portal"

urlpatterns: list[URLPattern] = [
    path("portal/join/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("portal/sign-in-link/", views.signin_request, name="signin-request"),
    path("portal/sign-in/<str:token>/", views.signin_redeem, name="signin-redeem"),
    path("portal/verify/", views.verify, name="verify"),
    path("portal/security/", views.security, name="security"),
    path(
        "vendors/<int:pk>/portal/invitations/new/",
        views.invitation_create,
        name="invitation-create",
    ),
    path("portal/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("portal/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
]
