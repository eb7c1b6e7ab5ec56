"""A multipart parser that keeps each file's name as the client sent it.

Django cuts directories off an uploaded file's name (``../../x.pdf`` arrives as ``x.pdf``);
the compliance services refuse such names outright, so the name as submitted is kept on the
file as ``submitted_name`` for them to judge.
"""

from __future__ import annotations

from typing import Any

from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, MultiPartParser


class _NameKeepingParser(DjangoMultiPartParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitted: dict[str, str] = {}

    def sanitize_file_name(self, file_name: str) -> str | None:
        cleaned = super().sanitize_file_name(file_name)
        if cleaned is not None and cleaned != file_name:
            self.submitted[cleaned] = file_name
        return cleaned


class NameKeepingMultiPartParser(MultiPartParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> DataAndFiles:
        context = parser_context or {}
        request = context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        parser = _NameKeepingParser(
            meta, stream, request.upload_handlers, context.get("encoding") or "utf-8"
        )
        try:
            data, files = parser.parse()
        except MultiPartParserError as error:
            raise ParseError(f"Multipart form parse error - {error}") from error
        for field in files:
            for upload in files.getlist(field):
                original = parser.submitted.get(upload.name)
                if original is not None:
                    upload.submitted_name = original
        return DataAndFiles(data, files)
