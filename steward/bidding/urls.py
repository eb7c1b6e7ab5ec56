"""Routes of the bidding pages: inside users under /bids/, the vendor's portal users under
/portal/bids/ (an invitation's page is its invitation's id)."""

from django.urls import URLPattern, path

from steward.bidding import views

app_name = "bidding"

urlpatterns: list[URLPattern] = [
    path("bids/", views.BidListPage.as_view(), name="bid-list"),
    path("bids/<int:pk>/", views.bid_detail, name="bid-detail"),
    path("bids/files/<int:pk>/download/", views.attachment_download, name="attachment-download"),
    path("portal/bids/", views.portal_list, name="portal-list"),
    path("portal/bids/<int:pk>/", views.portal_event, name="portal-event"),
    path("portal/bids/<int:pk>/ask/", views.portal_ask, name="portal-ask"),
    path("portal/bids/<int:pk>/decline/", views.portal_decline, name="portal-decline"),
]
