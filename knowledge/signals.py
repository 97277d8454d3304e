"""Signals only invalidate: a deleted practice leaves the search's in-memory index stale."""

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import GoodPractice
from .services.indexing import search_data_changed


@receiver(post_delete, sender=GoodPractice)
def practice_deleted(sender: Any, **kwargs: Any) -> None:
    search_data_changed()
