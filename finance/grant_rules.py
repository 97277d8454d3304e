"""The grant's rules that turn costs into the EU's contribution and the partners' co-financing,
in one place: the statements, their XLSX and PDF, and the budget dashboard all compute with
these functions, from a programme's current rules or from the rules a statement kept.

The three co-financing models (docs/finance.md has a worked example of each):
- `city_staff`: every euro of a city partner's staff cost is its co-financing; the EU pays at
  most the EU rate of the eligible costs and never more than the costs minus the co-financing
  (no profit). The EU never funds city staff beyond that.
- `eu_rate`: every partner's costs are reimbursed at the EU rate, rounded per partner; what the
  EU does not pay is the partner's co-financing.
- `fixed`: each partner contributes a fixed amount (its `PartnerCoFinancing`), at most its
  costs; the EU pays at most the EU rate of the costs and never more than the costs minus the
  contributions.
The flat rate of indirect costs applies to all eligible direct costs, or to staff costs only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from programmes.choices import CoFinancingModel, IndirectCostBase, PartnerRole

from .money import ZERO, cents, indirect_costs

if TYPE_CHECKING:
    from programmes.models import Programme

    from .models import Statement


@dataclass(frozen=True)
class GrantRules:
    eu_rate: Decimal
    indirect_rate: Decimal
    indirect_base: str
    co_financing_model: str
    # Partner pk → its fixed contribution in EUR (model `fixed` only).
    contributions: Mapping[int, Decimal] = field(default_factory=dict)

    def indirect(self, staff: Decimal, direct: Decimal) -> Decimal:
        """Rule 4 on the chosen base."""
        base = staff if self.indirect_base == IndirectCostBase.STAFF else direct
        return indirect_costs(base, self.indirect_rate)

    def as_statement_fields(self) -> dict[str, object]:
        return {
            "eu_rate": self.eu_rate,
            "indirect_rate": self.indirect_rate,
            "indirect_base": self.indirect_base,
            "co_financing_model": self.co_financing_model,
            "contributions": {str(pk): str(amount) for pk, amount in self.contributions.items()},
        }


def programme_rules(programme: Programme) -> GrantRules:
    """The programme's rules today (one query for the fixed contributions)."""
    from .models import PartnerCoFinancing

    contributions: dict[int, Decimal] = {}
    if programme.co_financing_model == CoFinancingModel.FIXED:
        contributions = {
            row.partner_id: row.fixed_contribution_eur
            for row in PartnerCoFinancing.objects.filter(
                programme=programme, fixed_contribution_eur__isnull=False
            )
            if row.fixed_contribution_eur is not None  # as filtered: for the type checker
        }
    return GrantRules(
        eu_rate=programme.max_eu_rate,
        indirect_rate=programme.indirect_cost_rate,
        indirect_base=programme.indirect_cost_base,
        co_financing_model=programme.co_financing_model,
        contributions=contributions,
    )


def statement_rules(statement: Statement) -> GrantRules:
    """The rules a statement was prepared with (no query)."""
    return GrantRules(
        eu_rate=statement.eu_rate,
        indirect_rate=statement.indirect_rate,
        indirect_base=statement.indirect_base,
        co_financing_model=statement.co_financing_model,
        contributions={int(pk): Decimal(v) for pk, v in (statement.contributions or {}).items()},
    )


@dataclass(frozen=True)
class PartnerCosts:
    """One partner's eligible costs (EUR), indirect ones included."""

    partner_id: int
    role: str
    staff: Decimal
    total: Decimal


@dataclass(frozen=True)
class Split:
    total: Decimal
    co_financing: Decimal
    eu_contribution: Decimal
    by_partner: dict[int, Decimal]  # each partner's co-financing

    @property
    def profit(self) -> Decimal:
        """Must never be positive."""
        return self.eu_contribution + self.co_financing - self.total


def split(rules: GrantRules, partners: Iterable[PartnerCosts]) -> Split:
    """Who pays the costs under the rules: each partner's co-financing, and the EU's
    contribution for them all."""
    partners = list(partners)
    total = sum((p.total for p in partners), ZERO)
    by_partner: dict[int, Decimal] = {}
    for p in partners:
        if rules.co_financing_model == CoFinancingModel.EU_RATE:
            by_partner[p.partner_id] = p.total - cents(p.total * rules.eu_rate)
        elif rules.co_financing_model == CoFinancingModel.FIXED:
            by_partner[p.partner_id] = min(rules.contributions.get(p.partner_id, ZERO), p.total)
        else:
            by_partner[p.partner_id] = p.staff if p.role == PartnerRole.CITY else ZERO
    co = sum(by_partner.values(), ZERO)
    if rules.co_financing_model == CoFinancingModel.EU_RATE:
        eu = total - co
    else:
        eu = max(min(cents(total * rules.eu_rate), total - co), ZERO)
    return Split(total, co, eu, by_partner)
