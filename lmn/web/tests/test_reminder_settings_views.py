"""Staff record how a patient wants to be reminded to order (EPAT-3), and see on the
patient page when the last reminder went out."""

from __future__ import annotations

import pytest

from lmn.reminders.models import ReminderSetting
from lmn.testing.types import ClientFor, World

pytestmark = pytest.mark.rule("EPAT-3")


def test_customer_service_records_sms_and_the_patient_page_says_so(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.customer_service)
    url = f"/patienter/{world.patient.pk}/paminnelser/"
    assert client.get(url).status_code == 200

    answer = client.post(url, {"choice": "sms", "phone": "070-123 45 67"})

    assert answer.status_code == 302
    setting = ReminderSetting.objects.get(patient=world.patient)
    assert (setting.channel, setting.phone, setting.opted_out) == ("sms", "+46701234567", False)
    page = client.get(f"/patienter/{world.patient.pk}/").content.decode()
    assert "Ingen påminnelse har skickats ännu." in page


def test_sms_without_a_number_is_refused_on_the_field_and_nothing_is_saved(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.prescriber)
    answer = client.post(f"/patienter/{world.patient.pk}/paminnelser/", {"choice": "sms"})
    assert answer.status_code == 200
    assert "Ange mobilnummer för sms." in answer.content.decode()
    assert not ReminderSetting.objects.exists()


def test_opting_out_shows_on_the_patient_page(world: World, client_for: ClientFor) -> None:
    client = client_for(world.customer_service)
    client.post(f"/patienter/{world.patient.pk}/paminnelser/", {"choice": "none"})
    page = client.get(f"/patienter/{world.patient.pk}/").content.decode()
    assert "Patienten har tackat nej till påminnelser." in page
