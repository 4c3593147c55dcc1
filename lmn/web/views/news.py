"""Assortment news (GEN-6): every news item of the user's areas, new ones marked."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lmn.catalog.queries import NewsItem, news_by_area, news_for
from lmn.catalog.services import mark_news_read
from lmn.core.actor import Actor

from .common import actor_of

LATEST = 3  # beside the catalogue and on the start page


@require_GET
def news(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    items = news_for(actor)
    # read now: marked new on this page, not on the next one
    mark_news_read(actor=actor)
    return render(
        request,
        "web/news.html",
        {
            "title": _("Sortimentsnytt"),
            "groups": news_by_area(items),
            "new_count": sum(item.is_new for item in items),
        },
    )


def latest_news(actor: Actor) -> dict[str, object]:
    """The context of web/_news.html: the latest items and how many are new in all."""
    items: list[NewsItem] = news_for(actor)
    return {"news": items[:LATEST], "news_new": sum(item.is_new for item in items)}
