"""Routes of the handoffs pages."""

from django.urls import URLPattern, path

from steward.handoffs.views import handoffs, items

app_name = "handoffs"

urlpatterns: list[URLPattern] = [
    path("handoffs/", handoffs.HandoffListPage.as_view(), name="handoff-list"),
    path("handoffs/new/", handoffs.handoff_new, name="handoff-new"),
    path("handoffs/<int:pk>/", handoffs.handoff_detail, name="handoff-detail"),
    path("handoffs/<int:pk>/edit/", handoffs.handoff_edit, name="handoff-edit"),
    path("handoffs/<int:pk>/submit/", handoffs.handoff_submit, name="handoff-submit"),
    path("handoffs/<int:pk>/accept/", handoffs.handoff_accept, name="handoff-accept"),
    path("handoffs/<int:pk>/send-back/", handoffs.handoff_send_back, name="handoff-send-back"),
    path("handoffs/<int:pk>/complete/", handoffs.handoff_complete, name="handoff-complete"),
    path("handoffs/<int:pk>/cancel/", handoffs.handoff_cancel, name="handoff-cancel"),
    path("handoffs/<int:pk>/items/", items.item_add, name="item-add"),
    path("handoffs/items/<int:pk>/edit/", items.item_edit, name="item-edit"),
    path("handoffs/items/<int:pk>/close/", items.item_close, name="item-close"),
    path("handoffs/items/<int:pk>/reopen/", items.item_reopen, name="item-reopen"),
    path("handoffs/items/<int:pk>/remove/", items.item_remove, name="item-remove"),
]
