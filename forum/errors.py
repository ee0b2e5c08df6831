"""What domain functions raise when they refuse: views turn these into pages with a status."""


class Refused(Exception):
    """Base of refusals: ``message`` is for the person who asked, in their language (``gettext``)."""

    status = 400

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class Invalid(Refused):
    """Bad input: ``fields`` maps a form field to its message (``None`` for the whole form)."""

    status = 422

    def __init__(self, fields, status=None):
        if isinstance(fields, str):
            fields = {None: fields}
        self.fields = dict(fields)
        super().__init__(" ".join(self.fields.values()), status)


class Conflict(Invalid):
    """The input clashes with what exists (a pseudonym or email already taken)."""

    status = 409


class Forbidden(Refused):
    status = 403


class NotFound(Refused):
    status = 404
