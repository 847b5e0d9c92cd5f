"""Errors meant for people: one line that names the thing and says what to do."""


class UserError(Exception):
    """Bad input or missing data; the message is shown as is, without a traceback."""


class UnknownCode(UserError):
    """A well-formed occupation code that the classification does not have."""
