"""Writing benchmarks: facilitators edit the one draft of their theme; publishing freezes it.

Every edit locks the draft and checks its revision, so two editors never overwrite each other.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from programmes.models import Theme

from ..choices import BenchmarkStatus
from ..models import AdditionalFactor, Benchmark, GuidingQuestion, KeyFactor
from ..permissions import can_edit_benchmark

MAX_KEY_FACTORS = 20


def _check_editor(actor: Any, theme: Theme) -> None:
    decision = can_edit_benchmark(actor, theme)
    if not decision:
        raise DomainError(decision.reason)


def _lock_draft(benchmark: Benchmark, expected_revision: int) -> Benchmark:
    current = (
        Benchmark.objects.select_for_update(of=("self",))
        .select_related("theme")
        .get(pk=benchmark.pk)
    )
    if current.status != BenchmarkStatus.DRAFT:
        raise DomainError(_("This version is published and frozen; start a new version."))
    if current.revision != expected_revision:
        raise ConcurrentEditError(
            _(
                "Someone else changed this benchmark while you were editing it. Your changes are "
                "still in the form below; check the benchmark and save again."
            )
        )
    return current


def _touch(benchmark: Benchmark, actor: Any, reason: str) -> None:
    benchmark.revision += 1
    attribute_to(benchmark, actor, reason)
    benchmark.save()


def benchmark_draft_open(*, actor: Any, theme: Theme) -> Benchmark:
    """The theme's draft; when there is none, a new version copied from the latest published."""
    _check_editor(actor, theme)
    with transaction.atomic():
        draft = Benchmark.objects.filter(theme=theme, status=BenchmarkStatus.DRAFT).first()
        if draft is not None:
            return draft
        latest = (
            Benchmark.objects.filter(theme=theme)
            .prefetch_related("key_factors__questions", "additional_factors")
            .order_by("-version")
            .first()
        )
        draft = Benchmark(
            theme=theme,
            version=(latest.version + 1) if latest else 1,
            title=latest.title if latest else theme.title,
            introduction=latest.introduction if latest else "",
        )
        attribute_to(draft, actor, "new version")
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError:  # someone opened the draft at the same moment: use theirs
            return Benchmark.objects.get(theme=theme, status=BenchmarkStatus.DRAFT)
        if latest is not None:
            _copy_content(latest, draft, actor)
    return draft


def _copy_content(source: Benchmark, draft: Benchmark, actor: Any) -> None:
    for factor in source.key_factors.all():
        copy = KeyFactor(
            benchmark=draft,
            code=factor.code,
            order=factor.order,
            title=factor.title,
            why_and_how=factor.why_and_how,
        )
        attribute_to(copy, actor, "new version")
        copy.save()
        for question in factor.questions.all():
            q = GuidingQuestion(key_factor=copy, order=question.order, text=question.text)
            attribute_to(q, actor, "new version")
            q.save()
    for extra in source.additional_factors.all():
        item = AdditionalFactor(
            benchmark=draft, order=extra.order, title=extra.title, description=extra.description
        )
        attribute_to(item, actor, "new version")
        item.save()


def benchmark_update(
    *, actor: Any, benchmark: Benchmark, expected_revision: int, title: str, introduction: str
) -> Benchmark:
    _check_editor(actor, benchmark.theme)
    with transaction.atomic():
        current = _lock_draft(benchmark, expected_revision)
        current.title, current.introduction = title, introduction
        current.full_clean()
        _touch(current, actor, "edit")
    return current


def key_factor_save(
    *,
    actor: Any,
    benchmark: Benchmark,
    expected_revision: int,
    key_factor: KeyFactor | None,
    code: str,
    title: str,
    why_and_how: str,
    questions: list[str],
    position: int | None = None,
) -> KeyFactor:
    """Create or change a key factor of the draft; its guiding questions are replaced."""
    _check_editor(actor, benchmark.theme)
    with transaction.atomic():
        current = _lock_draft(benchmark, expected_revision)
        siblings = KeyFactor.objects.filter(benchmark=current)
        if key_factor is not None:
            siblings = siblings.exclude(pk=key_factor.pk)
        if siblings.filter(code=code).exists():
            raise DomainError(
                _("The code %(code)s is already used in this benchmark.") % {"code": code},
                field_errors={"code": _("Choose another code; each key factor has its own.")},
            )
        if key_factor is None:
            if siblings.count() >= MAX_KEY_FACTORS:
                raise DomainError(
                    _("A benchmark has at most %(n)d key factors.") % {"n": MAX_KEY_FACTORS}
                )
            last = siblings.aggregate(m=Max("order"))["m"] or 0
            factor = KeyFactor(benchmark=current, order=last + 1)
        else:
            factor = KeyFactor.objects.get(pk=key_factor.pk, benchmark=current)
        factor.code, factor.title, factor.why_and_how = code, title, why_and_how
        attribute_to(factor, actor)
        factor.full_clean(exclude=["benchmark"])
        factor.save()
        factor.questions.all().delete()
        for order, text in enumerate(questions, start=1):
            GuidingQuestion.objects.create(key_factor=factor, order=order, text=text)
        if position is not None:
            _move(current, factor, position)
        _touch(current, actor, "key factor")
    return factor


def _move(benchmark: Benchmark, factor: KeyFactor, position: int) -> None:
    """Put the factor at `position` (1-based) and renumber the others after it."""
    ordered = [f for f in benchmark.key_factors.order_by("order") if f.pk != factor.pk]
    position = max(1, min(position, len(ordered) + 1))
    ordered.insert(position - 1, factor)
    # Two passes keep the (benchmark, order) uniqueness true after every single update.
    offset = len(ordered) + 1000
    for index, item in enumerate(ordered, start=1):
        KeyFactor.objects.filter(pk=item.pk).update(order=index + offset)
    for index, item in enumerate(ordered, start=1):
        KeyFactor.objects.filter(pk=item.pk).update(order=index)


def key_factor_delete(
    *, actor: Any, benchmark: Benchmark, expected_revision: int, key_factor: KeyFactor
) -> None:
    _check_editor(actor, benchmark.theme)
    with transaction.atomic():
        current = _lock_draft(benchmark, expected_revision)
        KeyFactor.objects.filter(pk=key_factor.pk, benchmark=current).delete()
        _touch(current, actor, "key factor removed")


def additional_factor_save(
    *,
    actor: Any,
    benchmark: Benchmark,
    expected_revision: int,
    factor: AdditionalFactor | None,
    title: str,
    description: str,
) -> AdditionalFactor:
    _check_editor(actor, benchmark.theme)
    with transaction.atomic():
        current = _lock_draft(benchmark, expected_revision)
        if factor is None:
            last = current.additional_factors.aggregate(m=Max("order"))["m"] or 0
            item = AdditionalFactor(benchmark=current, order=last + 1)
        else:
            item = AdditionalFactor.objects.get(pk=factor.pk, benchmark=current)
        item.title, item.description = title, description
        attribute_to(item, actor)
        item.full_clean(exclude=["benchmark"])
        item.save()
        _touch(current, actor, "additional factor")
    return item


def additional_factor_delete(
    *, actor: Any, benchmark: Benchmark, expected_revision: int, factor: AdditionalFactor
) -> None:
    _check_editor(actor, benchmark.theme)
    with transaction.atomic():
        current = _lock_draft(benchmark, expected_revision)
        AdditionalFactor.objects.filter(pk=factor.pk, benchmark=current).delete()
        _touch(current, actor, "additional factor removed")


def benchmark_publish(*, actor: Any, benchmark: Benchmark, expected_revision: int) -> Benchmark:
    """Freeze the draft: from now on cities rate this version, and it never changes."""
    _check_editor(actor, benchmark.theme)
    with transaction.atomic():
        current = _lock_draft(benchmark, expected_revision)
        factors = list(current.key_factors.prefetch_related("questions"))
        if not factors:
            raise DomainError(_("Add at least one key factor before publishing."))
        unanswerable = [f.code for f in factors if not f.questions.all()]
        if unanswerable:
            raise DomainError(
                _("Give every key factor at least one guiding question (missing: %(codes)s).")
                % {"codes": ", ".join(unanswerable)}
            )
        current.status = BenchmarkStatus.PUBLISHED
        current.published_at = timezone.now()
        current.published_by = actor
        _touch(current, actor, "published")
    return current
