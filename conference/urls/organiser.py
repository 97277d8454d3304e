"""The conference's organiser addresses (under the conference: namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
