"""GEN-6: prescribers see the assortment news of their areas, latest first, new ones marked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from lmn.audit.models import AuditEvent
from lmn.catalog.models import AssortmentNews, NewsVisit
from lmn.core import clock
from lmn.testing import factories as f
from lmn.testing.types import ClientFor, World

pytestmark = pytest.mark.django_db


def _news(area: str | None, title: str, days_ago: int = 0) -> AssortmentNews:
    return AssortmentNews.objects.create(
        area=f.area(area) if area else None,
        title=title,
        body=f"Om {title.lower()}.",
        published=clock.today() - dt.timedelta(days=days_ago),
    )


def _html(response: Any) -> str:
    return response.content.decode()


@pytest.mark.rule("GEN-6")
def test_the_news_page_lists_own_areas_latest_first_and_marks_what_is_new(
    client_for: ClientFor, world: World
) -> None:
    _news("diabetes", "Äldre diabetesnytt", days_ago=20)
    _news("diabetes", "Nyare diabetesnytt", days_ago=2)
    _news(None, "Nytt för alla områden", days_ago=5)
    _news("nutrition", "Nutritionsnytt", days_ago=1)  # not the prescriber's area
    _news("diabetes", "Kommande nytt", days_ago=-3)  # published later: not yet shown
    client = client_for(world.prescriber)

    html = _html(client.get(reverse("web:news")))
    assert html.index("Nyare diabetesnytt") < html.index("Äldre diabetesnytt")
    assert html.index("Alla produktområden") < html.index("Diabetes")  # per area
    assert "Nytt för alla områden" in html
    assert "Nutritionsnytt" not in html and "Kommande nytt" not in html
    assert html.count(">Nytt</strong>") == 3  # a first visit: everything is new

    # read once, nothing is new any more; a news item added afterwards is
    assert ">Nytt</strong>" not in _html(client.get(reverse("web:news")))
    with time_machine.travel(clock.now() + dt.timedelta(minutes=5)):
        _news("diabetes", "Allra nyaste", days_ago=0)
        html = _html(client.get(reverse("web:news")))
    assert html.count(">Nytt</strong>") == 1
    assert html.index("Allra nyaste") < html.index(">Nytt</strong>")


@pytest.mark.rule("GEN-6")
def test_the_last_visit_is_kept_per_user_and_audited(client_for: ClientFor, world: World) -> None:
    _news("diabetes", "Diabetesnytt")
    client_for(world.prescriber).get(reverse("web:news"))
    assert NewsVisit.objects.filter(user=world.prescriber).exists()
    assert not NewsVisit.objects.filter(user=world.doctor).exists()
    assert AuditEvent.objects.filter(action="catalog.news.read").count() == 1
    # another prescriber has not read it: still new for them
    html = _html(client_for(world.doctor).get(reverse("web:news")))
    assert ">Nytt</strong>" in html


@pytest.mark.rule("GEN-6")
def test_the_news_is_beside_the_catalogue_and_on_the_start_page(
    client_for: ClientFor, world: World
) -> None:
    for i in range(4):
        _news("diabetes", f"Diabetesnytt {i}", days_ago=i)
    _news("nutrition", "Nutritionsnytt")
    client = client_for(world.prescriber)
    for url in (reverse("web:home"), reverse("web:new_prescription", args=[world.patient.pk])):
        html = _html(client.get(url))
        news = html.split('id="news-heading"')[1].split("</section>")[0]
        assert "4 nya" in news, url
        assert news.index("Diabetesnytt 0") < news.index("Diabetesnytt 2"), url
        assert "Diabetesnytt 3" not in news  # the latest three; the page has them all
        assert "Nutritionsnytt" not in news
        assert reverse("web:news") in news


def test_the_orderers_start_page_has_no_news(client_for: ClientFor, world: World) -> None:
    _news("diabetes", "Diabetesnytt")
    assert 'id="news-heading"' not in _html(client_for(world.orderer).get(reverse("web:home")))
