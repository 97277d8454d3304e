"""Public search of the good practices over REST: the same search service as /practices/."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from knowledge.search.engine import practice_search, search_request_from
from knowledge.selectors import facet_labels
from knowledge.services.indexing import Facet


class HitOut(serializers.Serializer):
    reference = serializers.CharField(source="practice.reference")
    title = serializers.CharField(source="practice.title")
    city = serializers.CharField(source="practice.city_name")
    country = serializers.CharField(source="practice.country.code")
    start_year = serializers.IntegerField(source="practice.start_year", allow_null=True)
    status = serializers.CharField(source="practice.status")
    summary = serializers.CharField(source="practice.summary")
    score = serializers.FloatField(help_text="Relevance: higher is better (0 without a query).")
    snippet = serializers.CharField(help_text="Escaped HTML; matched words are in <mark>.")
    url = serializers.SerializerMethodField()

    def get_url(self, hit: Any) -> str:
        path = reverse("knowledge:practice", args=[hit.practice.reference])
        return str(self.context["request"].build_absolute_uri(path))


class FacetValueOut(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchOut(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    corrections = serializers.DictField(child=serializers.CharField())
    results = HitOut(many=True)
    facets = serializers.DictField(child=FacetValueOut(many=True))


class PracticeSearch(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=SearchOut,
        parameters=[
            OpenApiParameter("q", str, description="Words to find (stemmed, typo-tolerant)."),
            OpenApiParameter("sort", str, enum=["relevance", "newest", "oldest", "title", "city"]),
            OpenApiParameter("page", int),
            *[
                OpenApiParameter(f, str, many=True, description="Filter; repeat for several.")
                for f in Facet.ALL
            ],
        ],
    )
    def get(self, request: Request) -> Response:
        result = practice_search(search_request_from(request.query_params))
        facet_labels(result)
        data = {
            "query": result.request.text,
            "total": result.total,
            "page": result.request.page,
            "pages": result.pages,
            "corrections": result.corrections,
            "results": result.hits,
            "facets": result.facets,
        }
        return Response(SearchOut(data, context={"request": request}).data)
