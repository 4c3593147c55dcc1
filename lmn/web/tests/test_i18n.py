"""Languages (issue 11): Swedish source strings, a complete English catalogue.

Keeping these green after adding a page or a message:
1. write the text translatable ({% translate %} / {% blocktranslate %} in templates,
   gettext_lazy as _ in forms, gettext in views);
2. `make messages`, translate the new entries in locale/en/LC_MESSAGES/django.po (no
   empty msgstr, no "fuzzy"), `make messages` again (it compiles the .mo);
3. commit the .po and the .mo.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, translation

from lmn.testing.types import ClientFor, World
from lmn.web.catalogue import Entry, is_fragment, parse
from lmn.web.tests.translatable import (
    form_classes,
    marked_messages,
    portal_templates,
    scan,
    untranslated_form_texts,
)

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
HOW = "run `make messages`, translate the new entries in the .po, run it again, commit both"

# fields no one reads a label of: sent by buttons or drawn by their own template
NOT_RENDERED_AS_FIELDS = {
    "lmn.web.forms.distributor.ShipmentEventForm.event",  # the event buttons' value
    "lmn.web.forms.ordering.DeliveryForm.pickup_point_id",  # web/_pickup_points.html
    "lmn.web.forms.ordering.DeliveryChangeForm.pickup_point_id",
}


def _entries() -> list[Entry]:
    return [e for e in parse(PO.read_text(encoding="utf-8")) if e.msgid]


def test_every_template_text_is_translatable() -> None:
    findings = scan(portal_templates(ROOT))
    assert not findings, (
        "Visible text outside {% translate %}/{% blocktranslate %} (or _() in a tag):\n"
        + "\n".join(str(f) for f in findings)
    )


def test_every_form_text_is_a_lazy_translation() -> None:
    problems = [
        p
        for cls in form_classes()
        for p in untranslated_form_texts(cls)
        if p.split(":")[0].split(" ")[0] not in NOT_RENDERED_AS_FIELDS
    ]
    assert not problems, "Form texts that are plain strings (use gettext_lazy as _):\n" + "\n".join(
        problems
    )


def test_every_marked_message_is_in_the_english_catalogue() -> None:
    known = {e.msgid for e in _entries()}
    missing = [
        f"{m.path.relative_to(ROOT)}:{m.line}: {m.msgid!r}"
        for m in marked_messages(ROOT)
        if m.msgid not in known and not is_fragment(Entry(msgid=m.msgid))
    ]
    assert not missing, f"Not in {PO.relative_to(ROOT)} ({HOW}):\n" + "\n".join(missing)


def test_every_english_entry_is_translated_and_not_fuzzy() -> None:
    untranslated = [repr(e.msgid) for e in _entries() if not e.translated]
    assert not untranslated, f"Empty or fuzzy in {PO.relative_to(ROOT)} ({HOW}):\n" + "\n".join(
        untranslated
    )


def test_english_keeps_every_placeholder() -> None:
    import re

    placeholder = re.compile(r"%\(\w+\)s")
    wrong = []
    for e in _entries():
        wanted = set(placeholder.findall(e.msgid + (e.msgid_plural or "")))
        for text in e.msgstr.values():
            if set(placeholder.findall(text)) != wanted:
                wrong.append(f"{e.msgid!r} -> {text!r}")
    assert not wrong, "Placeholders differ:\n" + "\n".join(wrong)


def test_the_compiled_catalogue_says_what_the_po_says() -> None:
    """The .mo is committed (CI may have no msgfmt); it must be compiled from this .po."""
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in _entries():
        if not e.translated:
            continue  # msgfmt leaves these out; the test above names them
        if e.msgid_plural is None:
            expected[e.key()] = e.msgstr[0]
        else:
            for n, text in e.msgstr.items():
                expected[(e.key(), n)] = text
    compiled = {k: v for k, v in compiled.items() if k != ""}  # the header
    stale = sorted(
        repr(k) for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k)
    )
    assert not stale, f"{MO.name} is older than or differs from the .po ({HOW}):\n" + "\n".join(
        stale[:50]
    )


def test_swedish_is_the_default_and_english_follows_the_catalogue() -> None:
    with translation.override("sv"):
        assert translation.gettext("Logga ut") == "Logga ut"
    with translation.override("en"):
        assert translation.gettext("Logga ut") == "Log out"
        assert translation.ngettext("produkt", "produkter", 2) == "products"


def test_dates_and_numbers_follow_the_language() -> None:
    import datetime
    from decimal import Decimal

    day = datetime.date(2026, 1, 12)
    with translation.override("sv"):
        assert formats.date_format(day) == "12 januari 2026"
        assert formats.number_format(Decimal("1234.5"), 1, force_grouping=True) == "1\xa0234,5"
    with translation.override("en"):
        assert formats.date_format(day) == "12 January 2026"  # day first, not American
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "2026-01-12"
        assert formats.number_format(Decimal("1234.5"), 1, force_grouping=True) == "1,234.5"


@pytest.mark.django_db
def test_the_language_switch_sets_the_language_and_the_lang_attribute(client: Client) -> None:
    page = client.get("/logga-in/")
    assert '<html lang="sv">' in page.content.decode()
    assert 'lang="en">In English</button>' in page.content.decode()

    switched = client.post("/sprak/", {"language": "en", "next": "/logga-in/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/logga-in/"

    english = client.get("/logga-in/").content.decode()
    assert '<html lang="en">' in english
    assert "Log in" in english
    assert 'lang="sv">På svenska</button>' in english


@pytest.mark.django_db
def test_the_language_switch_refuses_a_foreign_next_address(client: Client) -> None:
    switched = client.post("/sprak/", {"language": "en", "next": "https://evil.example/"})
    assert switched.status_code == 302
    assert "evil.example" not in switched["Location"]


@pytest.mark.django_db
def test_the_language_switch_only_takes_post(client: Client) -> None:
    assert client.get("/sprak/?language=en").status_code == 405


def _in_english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_failed_login_says_why_in_english(client: Client, world: World) -> None:
    response = _in_english(client).post("/logga-in/", {"username": "forskrivare", "password": "x"})
    html = response.content.decode()
    assert "Wrong username or password." in html
    assert "<title>Error: Log in" in html


def test_service_problems_on_the_order_form_are_shown_in_english(
    client_for: ClientFor, world: World
) -> None:
    """The service writes its problems in Swedish; the portal shows them translated."""
    from lmn.withdrawals.models import Withdrawal

    from .portal_views.helpers import _order, _prescription

    p = _prescription(world)
    html = _order(
        _in_english(client_for(world.prescriber)), world, p, **{f"qty_{p.pk}": ""}
    ).content.decode()
    assert "Choose at least one product to order." in html
    assert "Välj minst en produkt" not in html
    assert not Withdrawal.objects.exists()


def test_service_messages_stay_swedish_for_the_api() -> None:
    """A Problem keeps its Swedish message (the API answers with it); only the portal's
    `shown` translates, and a label inside a message stays Swedish in any language."""
    from lmn.core.errors import Problem, in_swedish
    from lmn.web.errors import shown
    from lmn.withdrawals.states import WithdrawalStatus

    with translation.override("en"):
        problem = Problem("no_lines", "Välj minst en produkt att beställa.")
        assert problem.as_dict()["message"] == "Välj minst en produkt att beställa."
        assert shown(problem.message) == "Choose at least one product to order."
        assert in_swedish(WithdrawalStatus.CANCELLED.label) == "Makulerad"
        assert shown("") == ""


def test_the_scanner_names_file_line_and_text() -> None:
    from lmn.web.tests.translatable import scan_source

    source = (
        "{% load i18n %}\n"
        '<h1>{% translate "Sök patient" %}</h1>\n'
        "<p>Glömd text {{ name }}</p>\n"
        '<button lang="en">In English</button>\n'
        "<script>var x = 'Hej';</script>\n"
        '<nav aria-label="Meny"></nav>\n'
        '{% include "web/_back.html" with text="Tillbaka hem" %}\n'
        '{% include "web/_back.html" with text=_("Till startsidan") event="shipped" %}\n'
        "{% blocktranslate %}Hej {{ name }}{% endblocktranslate %}\n"
    )
    found = [(f.line, f.text) for f in scan_source(Path("x.html"), source)]
    assert found == [(3, "Glömd text"), (6, "Meny"), (7, "Tillbaka hem")]
