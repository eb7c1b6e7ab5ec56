"""Routes of the sourcing pages: inside users under /sourcing/, invitees' downloads under
/portal/sourcing/."""

from django.urls import URLPattern, path

from steward.sourcing.views import clarifications, events, invitations, parts, portal

app_name = "sourcing"

urlpatterns: list[URLPattern] = [
    path("sourcing/", events.EventListPage.as_view(), name="event-list"),
    path("sourcing/events/new/", events.event_new, name="event-new"),
    path("sourcing/events/<int:pk>/", events.event_detail, name="event-detail"),
    path("sourcing/events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("sourcing/events/<int:pk>/publish/", events.event_publish, name="event-publish"),
    path("sourcing/events/<int:pk>/cancel/", events.event_cancel, name="event-cancel"),
    path("sourcing/events/<int:pk>/log/", events.event_log, name="event-log"),
    path("sourcing/events/<int:pk>/invite/", invitations.event_invite, name="event-invite"),
    path("sourcing/events/<int:pk>/lines/", parts.line_add, name="line-add"),
    path("sourcing/events/<int:pk>/documents/", parts.attachment_add, name="attachment-add"),
    path("sourcing/events/<int:pk>/questions/", parts.question_add, name="question-add"),
    path("sourcing/events/<int:pk>/criteria/", parts.criterion_add, name="criterion-add"),
    path("sourcing/events/<int:pk>/team/", parts.member_add, name="member-add"),
    path(
        "sourcing/events/<int:pk>/clarifications/",
        clarifications.clarification_post,
        name="clarification-post",
    ),
    path("sourcing/<str:part>/<int:pk>/edit/", parts.part_edit, name="part-edit"),
    path("sourcing/<str:part>/<int:pk>/remove/", parts.part_remove, name="part-remove"),
    path(
        "sourcing/documents/<int:pk>/download/",
        parts.attachment_download,
        name="attachment-download",
    ),
    path(
        "sourcing/clarifications/<int:pk>/answer/",
        clarifications.clarification_answer,
        name="clarification-answer",
    ),
    path(
        "sourcing/clarifications/<int:pk>/publish/",
        clarifications.clarification_publish,
        name="clarification-publish",
    ),
    path(
        "portal/sourcing/documents/<int:pk>/download/",
        portal.portal_attachment_download,
        name="portal-attachment-download",
    ),
]
