"""The living demo's video: an external-link video of Athens, published with the consent of the
two people in it, its page naming only the one who agreed, linked from its practice."""

from django.urls import reverse

from videos.models import Video


def test_the_demo_video_is_published_with_its_consents(living_demo, client):
    video = Video.objects.get(title__startswith="Skills profiling for young refugees")
    assert video.state == "published" and video.external_url
    assert video.appearances.count() == 2
    html = client.get(reverse("videos:public", args=[video.pk])).content.decode()
    assert "Eleni Demo" in html and "A. K." not in html
    assert "<iframe" not in html
    practice = video.practices.get()
    page = client.get(reverse("knowledge:practice", args=[practice.reference])).content.decode()
    assert reverse("videos:public", args=[video.pk]) in page
