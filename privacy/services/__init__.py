"""The privacy services: a person's data export, and pseudonymisation with four eyes."""

from .export import person_export, person_export_write
from .pseudonymisation import (
    person_pseudonymise,
    pseudonymisation_cancel,
    pseudonymisation_confirm,
    pseudonymisation_request,
)

__all__ = [
    "person_export",
    "person_export_write",
    "person_pseudonymise",
    "pseudonymisation_cancel",
    "pseudonymisation_confirm",
    "pseudonymisation_request",
]
