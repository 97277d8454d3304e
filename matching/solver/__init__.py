"""City matching for mentoring programmes: pair mentor cities with implementing cities.

Pure Python on OR-Tools CP-SAT, with no Django dependency, so the web platform, the
`citiesgrow-match` command and batch jobs all share one solver. The input and output
formats are described in docs/matching-format.md.
"""

from matching.solver.model import solve
from matching.solver.problem import FORMAT_VERSION, Problem, ProblemError, pair_value
from matching.solver.validation import validate_problem

__all__ = ["FORMAT_VERSION", "Problem", "ProblemError", "pair_value", "solve", "validate_problem"]
