"""Why a plan file cannot be used: one message, written for the manager who uploaded it."""


class PlanReadError(Exception):
    """The file cannot be read as a plan; nothing was changed."""
