"""The size of a request that carries files, refused before its body is read.

Django bounds the form fields of a request (DATA_UPLOAD_MAX_MEMORY_SIZE) but not its files: a
multipart request of a gigabyte would be read to the end, and spooled to disk, before the import
form could say the file is too large. This handler, first in FILE_UPLOAD_HANDLERS, refuses a
request longer than the largest document plus the largest set of fields together: the 400 page
says it was too large, and nothing is read. A file between the two limits is still read and
refused by the import form, which names both sizes.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat


def request_limit() -> int:
    """The longest request with files that is read: a document and a form's fields."""
    return settings.ATTEST_MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimit(FileUploadHandler):
    """Refuse a multipart request longer than request_limit() from its Content-Length."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = request_limit()
        if content_length > limit:
            raise RequestDataTooBig(
                f"The request is {filesizeformat(content_length)}; Attest reads requests of at "
                f"most {filesizeformat(limit)}."
            )

    def receive_data_chunk(self, raw_data, start):
        # The body is read no further than its Content-Length: the check above bounds it.
        return raw_data

    def file_complete(self, file_size):
        return None
