"""State changes and rules. Services flush; the request, job or command commits once."""


class ServiceError(Exception):
    """A change was refused; the message is written for the person who asked for it.

    `field` names the form field the message is about, when there is one, so the page can show
    the error on that field (and the error summary can link to it)."""

    field: str | None = None

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field
