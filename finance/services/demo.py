"""The demo's books: an illustrative budget for every partner and monthly exchange rates for
the pound and the złoty (finance/data/demo-finance.json), recorded through the services on
behalf of a finance officer, so the demo's budget obeys the same rules as a real one."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from programmes.models import Programme, ProgrammePartner

from ..models import BudgetLine, ExchangeRate
from .budget import budget_line_create
from .rates import exchange_rate_save

DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "demo-finance.json"


def demo_finance_load(actor: Any, programme: Programme) -> tuple[int, int]:
    """Open the budget lines and record the rates that are missing; (lines, rates) added."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    existing = set(
        BudgetLine.objects.filter(programme=programme).values_list("partner_id", "category")
    )
    lines = 0
    partners = ProgrammePartner.objects.filter(programme=programme).order_by("pk")
    for partner in partners:
        for category, amount in data["budget"].get(partner.role, {}).items():
            if (partner.pk, category) not in existing:
                budget_line_create(
                    actor=actor,
                    programme=programme,
                    partner=partner,
                    category=category,
                    planned_eur=Decimal(amount),
                )
                lines += 1
    known = set(ExchangeRate.objects.filter(programme=programme).values_list("currency", "month"))
    rates = 0
    for row in data["rates"]:
        month = date.fromisoformat(f"{row['month']}-01")
        if (row["currency"], month) not in known:
            exchange_rate_save(
                actor=actor,
                programme=programme,
                currency=row["currency"],
                month=month,
                rate=Decimal(row["rate"]),
            )
            rates += 1
    return lines, rates
