"""The published infographics and videos over REST, read-only and public: the same selectors as
the portal's pages (a video whose consent has lapsed is a 404 here too; a person filmed is named
only when their consent says so)."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from infographics.choices import FileFormat
from infographics.selectors import published_latest, published_versions
from videos.selectors import public_video_get, public_video_list


def _absolute(request: Request, name: str, *args: Any) -> str:
    return str(request.build_absolute_uri(reverse(name, args=args)))


class InfographicOut(serializers.Serializer):
    id = serializers.IntegerField(source="infographic_id")
    version = serializers.IntegerField(source="number")
    title = serializers.CharField(source="snapshot.title")
    heading = serializers.CharField(source="snapshot.heading")
    description = serializers.CharField(
        source="snapshot.description", help_text="The text alternative of the image."
    )
    language = serializers.CharField(source="snapshot.language")
    published_at = serializers.DateTimeField()
    page = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField(
        help_text="Download address per format: svg, png-portrait, png-landscape, pdf-a4, pdf-a3."
    )

    def get_page(self, version: Any) -> str:
        return _absolute(self.context["request"], "infographics:public", version.infographic_id)

    def get_files(self, version: Any) -> dict[str, str]:
        request = self.context["request"]
        return {
            str(fmt): _absolute(
                request, "infographics:download", version.infographic_id, version.number, fmt
            )
            for fmt in FileFormat
        }


class InfographicList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=InfographicOut(many=True))
    def get(self, request: Request) -> Response:
        versions = published_latest()
        return Response(InfographicOut(versions, many=True, context={"request": request}).data)


class InfographicDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=InfographicOut(many=True), operation_id="infographic_versions")
    def get(self, request: Request, pk: int) -> Response:
        """Every published version of one infographic, newest first."""
        versions = published_versions(pk)
        return Response(InfographicOut(versions, many=True, context={"request": request}).data)


class VideoOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    city = serializers.CharField(source="city.name", allow_null=True, default=None)
    theme = serializers.CharField(source="theme.code", allow_null=True, default=None)
    language = serializers.CharField()
    duration_seconds = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    practices = serializers.SerializerMethodField(help_text="The references of the practices.")
    page = serializers.SerializerMethodField()

    def get_practices(self, video: Any) -> list[str]:
        return [practice.reference for practice in video.practices.all()]

    def get_page(self, video: Any) -> str:
        return _absolute(self.context["request"], "videos:public", video.pk)


class VideoDetailOut(VideoOut):
    transcript = serializers.CharField()
    captions = serializers.SerializerMethodField(help_text="WebVTT address per language.")
    people_named = serializers.SerializerMethodField(
        help_text="Only the people whose consent allows their name to be shown."
    )

    def get_captions(self, video: Any) -> dict[str, str]:
        request = self.context["request"]
        return {
            s.language: _absolute(request, "videos:track", video.pk, s.language)
            for s in video.subtitles.all()
        }

    def get_people_named(self, video: Any) -> list[str]:
        return [person.name for person in video.named]


class VideoList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=VideoOut(many=True))
    def get(self, request: Request) -> Response:
        videos = public_video_list()
        return Response(VideoOut(videos, many=True, context={"request": request}).data)


class VideoDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=VideoDetailOut)
    def get(self, request: Request, pk: int) -> Response:
        video = public_video_get(pk)
        return Response(VideoDetailOut(video, context={"request": request}).data)
