"""A published infographic version never changes, whoever writes to the database (see core.db).

Only `published_by` may change: it is emptied when the publisher's account is deleted."""

from core.db import Trigger

VERSION_FROZEN = Trigger(
    name="infographic_version_frozen",
    table="infographics_infographicversion",
    violated_when=(
        "NEW.infographic_id <> OLD.infographic_id OR NEW.number <> OLD.number "
        "OR NEW.snapshot <> OLD.snapshot OR NEW.svg <> OLD.svg "
        "OR NEW.png_portrait <> OLD.png_portrait OR NEW.png_landscape <> OLD.png_landscape "
        "OR NEW.pdf_a4 <> OLD.pdf_a4 OR NEW.pdf_a3 <> OLD.pdf_a3 "
        "OR NEW.published_at <> OLD.published_at"
    ),
    message="a published infographic version never changes",
    on_insert=False,
)

ALL = (VERSION_FROZEN,)
