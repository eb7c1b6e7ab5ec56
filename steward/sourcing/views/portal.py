"""What invitees reach through sourcing itself: the event's documents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from steward.core.access import principal_for
from steward.core.uploads import stored_file_response
from steward.sourcing import selectors


@login_required
def portal_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A document of an event the user's organization is invited to; 404 for anything else."""
    if not principal_for(request.user).is_external:
        raise Http404
    return stored_file_response(selectors.attachment_for_invitee(user=request.user, pk=pk))
