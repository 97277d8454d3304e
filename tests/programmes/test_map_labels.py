"""The overview's map labels: none overlaps another, however many cities crowd the map, and
the demo's sixteen cities all keep their label."""

import random
from types import SimpleNamespace

import pytest

from programmes import selectors
from programmes.models import City
from programmes.selectors import MapPoint, _map_position, _spread_labels


def _boxes(points):
    """The rectangle each shown label takes, as the template draws it."""
    for p in points:
        if p.show_label:
            width = (len(p.city.name) + 4) * selectors._LABEL_CHAR_WIDTH
            top = p.y + p.label_dy - selectors._LABEL_HEIGHT + 3
            yield (p.x + 9, top, p.x + 9 + width, top + selectors._LABEL_HEIGHT)


def _overlaps(boxes):
    boxes = list(boxes)
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]
    ]


def _points(n, seed, spread):
    rng = random.Random(seed)
    return [
        MapPoint(
            SimpleNamespace(name=f"City {k:03d} {'x' * rng.randint(0, 12)}"),
            round(rng.uniform(0, spread), 1),
            round(rng.uniform(0, spread), 1),
            "mentor",
            "A",
        )
        for k in range(n)
    ]


@pytest.mark.parametrize(("n", "spread"), [(400, 300), (400, 3000), (1000, 40)])
def test_no_two_labels_overlap_and_each_moves_a_bounded_distance(n, spread):
    points = _points(n, seed=n + spread, spread=spread)
    _spread_labels(points)
    assert _overlaps(_boxes(points)) == []
    most = 4.0 + selectors._MAX_LABEL_SHIFTS * selectors._LABEL_HEIGHT
    assert all(p.label_dy <= most for p in points)
    shown = sum(p.show_label for p in points)
    # Crowded maps leave labels out, spread ones keep most of them.
    assert 0 < shown <= n
    if spread == 3000:
        assert shown >= n * 0.9


def test_a_label_left_out_keeps_its_place_for_the_title():
    points = _points(50, seed=3, spread=1)  # all on one spot
    _spread_labels(points)
    hidden = [p for p in points if not p.show_label]
    assert 50 - (selectors._MAX_LABEL_SHIFTS + 1) <= len(hidden) < 50
    assert {p.label_dy for p in hidden} == {4.0}


@pytest.mark.django_db
def test_the_demo_cities_all_keep_their_label():
    cities = list(City.objects.filter(latitude__isnull=False))
    assert len(cities) >= 16
    points = [MapPoint(c, *_map_position(c), "mentor", "A") for c in cities]
    _spread_labels(points)
    assert all(p.show_label for p in points)
    assert _overlaps(_boxes(points)) == []
