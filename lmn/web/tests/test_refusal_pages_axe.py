"""The pages that refuse a login flood pass axe in Chromium, like every other page.

The admin's 429 page is the template the 413 page uses too (web/refused.html).
"""

from __future__ import annotations

from typing import Any

import pytest

from .axe_support import Watch, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class StatusWatch(Watch):
    """Console errors, less Chromium's note that the page itself answered 429."""

    @property
    def unexpected(self) -> list[str]:
        return [e for e in self.errors if "status of 429" not in e]


def _flood(page: Any, url: str, username_field: str, password_field: str, watch: Watch) -> Any:
    response = None
    for _ in range(2):
        page.goto(url)
        page.fill(username_field, "okand")
        page.fill(password_field, "fel")
        watch.errors.clear()  # only the refusal page is ours to judge (the admin's is not)
        with page.expect_navigation() as navigation:
            page.keyboard.press("Enter")
        response = navigation.value
    return response


@pytest.mark.parametrize(
    ("path", "username", "password"),
    [
        ("/logga-in/", "#id_username", "#id_password"),
        ("/admin/login/", "#id_username", "#id_password"),
    ],
)
def test_the_too_many_attempts_pages_pass_axe(
    path: str, username: str, password: str, live_server: Any, page: Any, settings: Any
) -> None:
    settings.LMN_LOGIN_ATTEMPTS_PER_ADDRESS = 1
    watch = StatusWatch(page)
    response = _flood(page, live_server.url + path, username, password, watch)
    assert response.status == 429
    assert page.get_by_text("För många inloggningsförsök").first.is_visible()
    watch.errors[:] = watch.unexpected
    assert_accessible(page, path, watch)
