"""The programme model's cross-table invariants (see core.db). Codes appear in error messages."""

from core.db import Trigger

SCHEME_THEME_IN_PROGRAMME = Trigger(
    name="scheme_theme_in_programme",
    table="programmes_mentoringscheme",
    violated_when=(
        "NEW.programme_id <> (SELECT t.programme_id FROM programmes_theme t "
        "WHERE t.id = NEW.theme_id)"
    ),
    message="the theme of a scheme must belong to the same programme",
)
MEMBER_PROGRAMME_OF_SCHEME = Trigger(
    name="member_programme_of_scheme",
    table="programmes_schememember",
    violated_when=(
        "NEW.programme_id <> (SELECT s.programme_id FROM programmes_mentoringscheme s "
        "WHERE s.id = NEW.scheme_id)"
    ),
    message="a scheme member must carry the programme of its scheme",
)
MEMBER_IN_PAIR_KEEPS_ROLE = Trigger(
    name="member_in_pair_keeps_role",
    table="programmes_schememember",
    violated_when=(
        "(NEW.role <> OLD.role OR NEW.scheme_id <> OLD.scheme_id) AND EXISTS ("
        "SELECT 1 FROM programmes_mentoringpair p "
        "WHERE p.mentor_id = OLD.id OR p.implementing_id = OLD.id)"
    ),
    message="a city that is in a pair cannot change its role or scheme; remove the pair first",
    on_insert=False,
)
PAIR_MENTOR_IS_MENTOR = Trigger(
    name="pair_mentor_is_mentor",
    table="programmes_mentoringpair",
    violated_when=(
        "NOT EXISTS (SELECT 1 FROM programmes_schememember m WHERE m.id = NEW.mentor_id "
        "AND m.scheme_id = NEW.scheme_id AND m.role = 'mentor')"
    ),
    message="the mentor city must be a mentor in the pair's scheme",
)
PAIR_IMPLEMENTING_IS_IMPLEMENTING = Trigger(
    name="pair_implementing_is_implementing",
    table="programmes_mentoringpair",
    violated_when=(
        "NOT EXISTS (SELECT 1 FROM programmes_schememember m WHERE m.id = NEW.implementing_id "
        "AND m.scheme_id = NEW.scheme_id AND m.role = 'implementing')"
    ),
    message="the implementing city must be an implementing city in the pair's scheme",
)
MEMBERSHIP_SCHEME_IN_PROGRAMME = Trigger(
    name="membership_scheme_in_programme",
    table="programmes_membership",
    violated_when=(
        "NEW.scheme_id IS NOT NULL AND NEW.programme_id <> (SELECT s.programme_id "
        "FROM programmes_mentoringscheme s WHERE s.id = NEW.scheme_id)"
    ),
    message="a facilitator's scheme must belong to the membership's programme",
)

ALL = (
    SCHEME_THEME_IN_PROGRAMME,
    MEMBER_PROGRAMME_OF_SCHEME,
    MEMBER_IN_PAIR_KEEPS_ROLE,
    PAIR_MENTOR_IS_MENTOR,
    PAIR_IMPLEMENTING_IS_IMPLEMENTING,
    MEMBERSHIP_SCHEME_IN_PROGRAMME,
)
