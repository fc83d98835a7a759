"""State changes and rules. Services flush; the request, job or command commits once."""


class ServiceError(Exception):
    """A change was refused; the message is written for the person who asked for it."""
