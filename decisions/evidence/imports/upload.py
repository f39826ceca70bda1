"""Receiving an import's file: kept in memory up to the size limit, refused at the first byte
past it.

Django's own handlers take the whole upload before a view can look at its size (into a
temporary file, which the import then read back whole): a 200 MB upload reached 540 MB of
memory before it was refused. This handler stores at most IMPORT_MAX_BYTES of the request's
files and stops the upload at the byte past it. It then reads off the rest of the request in
large pieces, keeping none of it, so the browser, still sending, reads the refusal page
rather than a reset connection. (Django's own draining goes line by line: 50 million lines
of a 200 MB CSV took 220 s.) Past DRAIN_MAX it stops reading and lets the server close the
connection.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

DRAIN_CHUNK = 1 << 20
DRAIN_MAX = 256_000_000


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        # Across every file of the request: many small files must not add up past the limit.
        self.received = 0
        self.refused = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.input_data = input_data  # to drain it on a refusal
        return None  # Django parses the request, calling the methods below

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.refused = True
            self.buffer = io.BytesIO()
            self._drain()
            raise StopUpload(connection_reset=True)  # drained already, or not to be
        self.buffer.write(raw_data)
        return None  # kept here: no other handler sees the data

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

    def _drain(self) -> None:
        drained = 0
        while drained < DRAIN_MAX:
            chunk = self.input_data.read(DRAIN_CHUNK)
            if not chunk:
                return
            drained += len(chunk)

    def upload_bytes(self) -> int | None:
        """The size of the whole request, as the client announced it, for the refusal."""
        try:
            return int(self.request.META.get("CONTENT_LENGTH") or 0) or None
        except ValueError:
            return None
