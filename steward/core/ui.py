"""Generic pieces of the web interface: lists, detail tabs, versioned forms, archive buttons.

One URL serves a page and its htmx partial: when htmx asks, only the named partial of the
same template is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views import View

from steward.core.access import principal_for
from steward.core.errors import DomainError, StaleVersionError
from steward.core.exports import Column, export_response
from steward.core.history import history_count, history_for

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20


def inside_only(request: HttpRequest) -> None:
    """A page of the inside: to a portal user it does not exist (404, not 403)."""
    if not principal_for(request.user).is_internal:
        raise Http404


def portal_only(request: HttpRequest) -> None:
    """A page of the vendor portal: to an inside user it does not exist."""
    if not principal_for(request.user).is_external:
        raise Http404


def is_partial(request: HttpRequest) -> bool:
    """htmx asked for a fragment (not a boosted full-page navigation)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the whole page, or only ``partial`` of it when htmx asks."""
    name = f"{template}#{partial}" if partial and is_partial(request) else template
    return render(request, name, context, status=status)


def query_filters(params: QueryDict) -> QueryDict:
    """The filters a query string asks for, blanks left out.

    A QueryDict, not a plain dict: a multiple-choice filter reads its values with ``getlist``
    and refuses a single value given as a bare string; a blank (the "Any" option a filter
    form submits) means no filter, not a bad value.
    """
    filters = QueryDict(mutable=True)
    for key, values in params.lists():
        given = [value for value in values if value != ""]
        if given:
            filters.setlist(key, given)
    return filters


def paginate(request: HttpRequest, queryset: QuerySet[Any], *, per_page: int = PAGE_SIZE) -> Any:
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def apply_domain_error(form: BaseForm, error: DomainError) -> None:
    """Show a domain refusal next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, ValidationError(error.message, code=error.code))


def apply_validation_error(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ListPage(LoginRequiredMixin, View):
    """A searchable, filterable, sortable, paginated list.

    ``filterset_selector(user=, filters=)`` returns the app's FilterSet over the rows the user
    may see; its ``qs`` gives the rows and its form the filter controls, from one definition.
    """

    template_name: ClassVar[str]
    filterset_selector: ClassVar[Callable[..., Any]]
    export_columns: ClassVar[Sequence[Column]] = ()
    # A Jinja2 template for the table rows of long, busy lists (see TEMPLATES in settings).
    rows_template: ClassVar[str | None] = None
    export_name: ClassVar[str] = "export"
    title: ClassVar[str] = ""
    fixed_filters: ClassVar[dict[str, str]] = {}

    def get_filters(self) -> QueryDict:
        filters = query_filters(self.request.GET)
        for key, value in self.fixed_filters.items():
            filters[key] = value
        return filters

    def get_context(self, page: Any, filterset: Any) -> dict[str, Any]:
        return {}

    def render_rows(self, page: Any) -> str:
        if self.rows_template is None:
            return ""
        context = {"rows": page.object_list, **self.rows_context()}
        return mark_safe(render_to_string(self.rows_template, context, using="jinja2"))  # noqa: S308 - Jinja2 escaped every value

    def rows_context(self) -> dict[str, Any]:
        return {}

    def decorate(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """Add what only the page shows (annotations) to the filtered rows."""
        return rows

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        filterset = type(self).filterset_selector(user=request.user, filters=self.get_filters())
        rows = filterset.qs if filterset.form.is_valid() else filterset.queryset.none()
        export = request.GET.get("export")
        if export in ("csv", "xlsx") and self.export_columns:
            return export_response(
                rows, self.export_columns, filename=self.export_name, file_format=export
            )
        page = paginate(request, self.decorate(rows))
        context = {
            "page": page,
            "rows": page.object_list,
            "filter_form": filterset.form,
            "title": self.title,
            "ordering": request.GET.get("ordering", ""),
            "can_export": bool(self.export_columns),
            "export_query": _without(request.GET, "page", "export"),
            "rows_html": self.render_rows(page),
            **self.get_context(page, filterset),
        }
        return render_page(request, self.template_name, context, partial="results")


def _without(params: Any, *names: str) -> str:
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return str(kept.urlencode())


def history_context(request: HttpRequest, obj: Model) -> dict[str, Any]:
    """The history tab of a record: its newest changes, paginated by ``history_page``."""
    try:
        number = max(1, int(request.GET.get("history_page", "1")))
    except ValueError:
        number = 1
    offset = (number - 1) * HISTORY_PAGE_SIZE
    total = history_count(obj)
    return {
        "history": history_for(obj, limit=HISTORY_PAGE_SIZE, offset=offset),
        "history_page": number,
        "history_has_next": offset + HISTORY_PAGE_SIZE < total,
        "history_total": total,
    }


def run_form_service(
    request: HttpRequest,
    form: BaseForm,
    service: Callable[[], Model],
    *,
    success_message: str,
    success_url: Callable[[Model], str] | None = None,
) -> HttpResponse | None:
    """Call ``service`` for a valid form; put refusals on the form and return None."""
    try:
        result = service()
    except StaleVersionError as error:
        form.add_error(None, ValidationError(error.message, code=error.code))
        form.stale = True  # type: ignore[attr-defined]
        return None
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    except PermissionDenied:
        raise
    messages.success(request, success_message)
    url = success_url(result) if success_url else result.get_absolute_url()  # type: ignore[attr-defined]
    return HttpResponseRedirect(url)
