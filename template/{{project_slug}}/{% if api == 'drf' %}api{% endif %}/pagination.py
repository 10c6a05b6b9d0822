"""Page-number pagination: ``?page=2``, and ``?page_size=`` up to a cap."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """PAGE_SIZE items a page by default; clients may ask for up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100
