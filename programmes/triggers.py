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
    # Any pair, current or ended: an ended pair keeps naming its cities in the roles they had,
    # so a membership that a pair refers to is ended and replaced, never moved.
    message="a city that is in a pair cannot change its role or scheme; remove the pair first",
    on_insert=False,
)
MEMBER_ENDS_AFTER_ITS_PAIRS = Trigger(
    name="member_ends_after_its_pairs",
    table="programmes_schememember",
    violated_when=(
        "NEW.ended_on IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM programmes_mentoringpair p WHERE p.ended_on IS NULL "
        "AND (p.mentor_id = NEW.id OR p.implementing_id = NEW.id))"
    ),
    message="a city's membership cannot end while it is in a current pair; end the pair first",
    on_insert=False,
)
PAIR_MEMBERS_CURRENT = Trigger(
    name="pair_members_current",
    table="programmes_mentoringpair",
    violated_when=(
        "NEW.ended_on IS NULL AND EXISTS (SELECT 1 FROM programmes_schememember m "
        "WHERE (m.id = NEW.mentor_id OR m.id = NEW.implementing_id) AND m.ended_on IS NOT NULL)"
    ),
    message="a current pair joins two current members of its scheme",
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

# Created by 0002_consistency_triggers; later migrations re-create ALL (see core.db).
INITIAL = (
    SCHEME_THEME_IN_PROGRAMME,
    MEMBER_PROGRAMME_OF_SCHEME,
    MEMBER_IN_PAIR_KEEPS_ROLE,
    PAIR_MENTOR_IS_MENTOR,
    PAIR_IMPLEMENTING_IS_IMPLEMENTING,
    MEMBERSHIP_SCHEME_IN_PROGRAMME,
)
# Added by 0004_pair_and_membership_history, with the columns they read.
ALL = (*INITIAL, MEMBER_ENDS_AFTER_ITS_PAIRS, PAIR_MEMBERS_CURRENT)
