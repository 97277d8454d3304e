"""Cross-table invariants of benchmarks and self-assessments (see core.db)."""

from core.db import Trigger

BENCHMARK_PUBLISHED_IS_FROZEN = Trigger(
    name="benchmark_published_is_frozen",
    table="assessments_benchmark",
    violated_when=(
        "OLD.status = 'published' AND (NEW.status <> OLD.status OR NEW.title <> OLD.title "
        "OR NEW.introduction <> OLD.introduction OR NEW.theme_id <> OLD.theme_id "
        "OR NEW.version <> OLD.version)"
    ),
    message="a published benchmark is frozen; start a new version to change it",
    on_insert=False,
)
KEY_FACTOR_OF_DRAFT = Trigger(
    name="key_factor_of_draft",
    table="assessments_keyfactor",
    violated_when=(
        "EXISTS (SELECT 1 FROM assessments_benchmark b "
        "WHERE b.id = NEW.benchmark_id AND b.status = 'published')"
    ),
    message="the key factors of a published benchmark are frozen",
)
GUIDING_QUESTION_OF_DRAFT = Trigger(
    name="guiding_question_of_draft",
    table="assessments_guidingquestion",
    violated_when=(
        "EXISTS (SELECT 1 FROM assessments_keyfactor k JOIN assessments_benchmark b "
        "ON b.id = k.benchmark_id WHERE k.id = NEW.key_factor_id "
        "AND b.status = 'published')"
    ),
    message="the guiding questions of a published benchmark are frozen",
)
ADDITIONAL_FACTOR_OF_DRAFT = Trigger(
    name="additional_factor_of_draft",
    table="assessments_additionalfactor",
    violated_when=(
        "EXISTS (SELECT 1 FROM assessments_benchmark b "
        "WHERE b.id = NEW.benchmark_id AND b.status = 'published')"
    ),
    message="the additional factors of a published benchmark are frozen",
)
ASSESSMENT_OF_PUBLISHED_THEME_BENCHMARK = Trigger(
    name="assessment_of_published_benchmark",
    table="assessments_selfassessment",
    violated_when=(
        "NOT EXISTS (SELECT 1 FROM assessments_benchmark b JOIN programmes_theme t "
        "ON t.id = b.theme_id WHERE b.id = NEW.benchmark_id AND b.theme_id = NEW.theme_id "
        "AND b.status = 'published' AND t.programme_id = NEW.programme_id)"
    ),
    message="a self-assessment rates a published benchmark of its own theme and programme",
)
RATING_OF_ITS_BENCHMARK = Trigger(
    name="rating_of_its_benchmark",
    table="assessments_rating",
    violated_when=(
        "NOT EXISTS (SELECT 1 FROM assessments_selfassessment a JOIN assessments_keyfactor k "
        "ON k.benchmark_id = a.benchmark_id WHERE a.id = NEW.assessment_id "
        "AND k.id = NEW.key_factor_id)"
    ),
    message="a rating must be of a key factor of its assessment's benchmark",
)
RATING_FROZEN_ONCE_SUBMITTED = Trigger(
    name="rating_frozen_once_submitted",
    table="assessments_rating",
    violated_when=(
        "EXISTS (SELECT 1 FROM assessments_selfassessment a WHERE a.id = NEW.assessment_id "
        "AND a.status IN ('submitted', 'accepted'))"
    ),
    message="a submitted self-assessment cannot change until it is returned",
)

ALL = (
    BENCHMARK_PUBLISHED_IS_FROZEN,
    KEY_FACTOR_OF_DRAFT,
    GUIDING_QUESTION_OF_DRAFT,
    ADDITIONAL_FACTOR_OF_DRAFT,
    ASSESSMENT_OF_PUBLISHED_THEME_BENCHMARK,
    RATING_OF_ITS_BENCHMARK,
    RATING_FROZEN_ONCE_SUBMITTED,
)
