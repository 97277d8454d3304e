"""The action plans over REST: the same selectors (scoped to the user: 404 outside) and the same
services (an adopted plan refuses a change here as on screen)."""

from typing import Any

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from action_plans.selectors import action_plan_get, action_plans_for_programme
from action_plans.services.plans import PlanSections, RiskInput, action_plan_save


class IndicatorOut(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)


class ActionOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    lead_department = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    budget_eur = serializers.DecimalField(max_digits=12, decimal_places=2)
    staff_days = serializers.DecimalField(max_digits=7, decimal_places=1)
    indicators = IndicatorOut(many=True)


class PlanOut(serializers.Serializer):
    id = serializers.IntegerField()
    city = serializers.CharField(source="city.slug")
    title = serializers.CharField()
    language = serializers.CharField()
    status = serializers.CharField()
    edition = serializers.IntegerField()
    revision = serializers.IntegerField()


class PlanDetailOut(PlanOut):
    context = serializers.CharField()
    vision = serializers.CharField()
    objectives = serializers.CharField()
    actions = ActionOut(many=True, source="actions.all")


class PlanSectionsIn(serializers.Serializer):
    """A change of the plan's sections; `revision` is the one the client read (409 if stale)."""

    revision = serializers.IntegerField()
    title = serializers.CharField(max_length=200, required=False)
    language = serializers.CharField(max_length=10, required=False)
    context = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    vision = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    objectives = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class PlanList(APIView):
    @extend_schema(responses=PlanOut(many=True))
    def get(self, request: Request, slug: str) -> Response:
        _programme, plans = action_plans_for_programme(request.user, slug)
        return Response(PlanOut(plans, many=True).data)


class PlanDetail(APIView):
    @extend_schema(responses=PlanDetailOut)
    def get(self, request: Request, slug: str, city: str) -> Response:
        plan = action_plan_get(request.user, slug, city)
        prefetch_related_objects([plan], "actions__indicators")  # a fixed number of queries
        return Response(PlanDetailOut(plan).data)

    @extend_schema(request=PlanSectionsIn, responses=PlanDetailOut)
    def patch(self, request: Request, slug: str, city: str) -> Response:
        plan = action_plan_get(request.user, slug, city)
        given = PlanSectionsIn(data=request.data)
        given.is_valid(raise_exception=True)
        data: dict[str, Any] = given.validated_data
        sections = PlanSections(
            title=data.get("title", plan.title),
            context=data.get("context", plan.context),
            vision=data.get("vision", plan.vision),
            objectives=data.get("objectives", plan.objectives),
            language=data.get("language", plan.language),
        )
        risks = [
            RiskInput(r.description, r.likelihood, r.impact, r.mitigation)
            for r in plan.risks.order_by("order")
        ]
        saved = action_plan_save(
            actor=request.user,
            plan=plan,
            expected_revision=data["revision"],
            sections=sections,
            risks=risks,
        )
        return Response(PlanDetailOut(saved).data)
