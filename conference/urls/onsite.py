"""The conference's onsite addresses (under the conference: namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
