class DomainError(Exception):
    """A rule of the domain refused a change; `message` is written for the person who tried.

    `field_errors` maps form field names to messages, so a form can show them next to the field.
    """

    def __init__(self, message: str, *, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class ConcurrentEditError(DomainError):
    """Someone else saved the object after this person opened it."""
