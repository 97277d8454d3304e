"""Writes of the assessments app, one function per use case."""

from .benchmarks import (
    additional_factor_delete,
    additional_factor_save,
    benchmark_draft_open,
    benchmark_publish,
    benchmark_update,
    key_factor_delete,
    key_factor_save,
)
from .self_assessments import (
    RatingInput,
    attachment_delete,
    self_assessment_review,
    self_assessment_save,
    self_assessment_start,
    self_assessment_submit,
)
from .wishes import theme_wishes_update

__all__ = [
    "RatingInput",
    "additional_factor_delete",
    "additional_factor_save",
    "attachment_delete",
    "benchmark_draft_open",
    "benchmark_publish",
    "benchmark_update",
    "key_factor_delete",
    "key_factor_save",
    "self_assessment_review",
    "self_assessment_save",
    "self_assessment_start",
    "self_assessment_submit",
    "theme_wishes_update",
]
