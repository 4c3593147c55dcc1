"""Access applications by the head of unit, decided by LMN administration (ACC-1..ACC-5)."""

from __future__ import annotations

from typing import Any

import pytest

from lmn.accounts.applications import (
    AccessApplicationDraft,
    approve_access_application,
    reject_access_application,
    submit_access_application,
    withdraw_access_application,
)
from lmn.accounts.models import AccessApplication, ApiToken, Membership, User
from lmn.accounts.queries import access_applications_visible_to
from lmn.accounts.services import actor_for, actor_for_token, issue_token, membership_for
from lmn.audit.models import AuditEvent
from lmn.core.actor import Role
from lmn.core.errors import DomainError, NotFound, PermissionDenied
from lmn.organisations.models import CareProvider
from lmn.prescriptions.services import PrescriptionDraft, create_prescription
from lmn.testing import factories as f
from lmn.testing.types import World

NEW_HSA = "SE2321000131-E000000777"


@pytest.fixture
def head(world: World) -> Any:
    return f.make_head(world.unit, "verksamhetschef")


@pytest.fixture
def admin(world: World) -> Any:
    return f.make_admin("lmnadmin")


def grant(world: World, head: Any, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "kind": AccessApplication.Kind.GRANT,
        "subject_hsa_id": NEW_HSA,
        "units": [world.unit],
        "role": Role.PRESCRIBER,
        "area_codes": ["diabetes", "stoma"],
        "first_name": "Nya",
        "last_name": "Sjuksköterskan",
        "email": "nya.sjukskoterskan@example.se",
    }
    values.update(overrides)
    headed = head.memberships.filter(role=Role.HEAD_OF_UNIT).first().unit
    return submit_access_application(
        AccessApplicationDraft(**values), actor=f.actor_of(head, headed)
    )


def denials(action: Any) -> Any:
    return AuditEvent.objects.filter(action=action).exclude(outcome="ok")


@pytest.mark.rule("ACC-1")
@pytest.mark.rule("ACC-3")
def test_a_granted_application_gives_the_role_areas_and_unit_at_once(
    world: World, head: Any, admin: Any
) -> None:
    application = grant(world, head)
    assert application.status == "submitted"
    assert not User.objects.filter(hsa_id=NEW_HSA).exists()

    approve_access_application(application, actor=f.actor_of(admin))

    application.refresh_from_db()
    assert application.status == "approved"
    user = User.objects.get(hsa_id=NEW_HSA)
    assert not user.has_usable_password()  # signs in with SITHS
    actor = actor_for(membership_for(user, world.unit.customer_number))
    assert actor.role == Role.PRESCRIBER
    assert actor.areas == {"diabetes", "stoma"}
    assert actor.may_prescribe_in("diabetes") and not actor.may_prescribe_in("nutrition")
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.access_application").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "accounts.access_application.submitted",
        "accounts.access_application.approved",
    ]


@pytest.mark.rule("ACC-3")
@pytest.mark.rule("SAM-4")
def test_the_joint_ordering_permission_is_applied_for_like_an_area(
    world: World, admin: Any
) -> None:
    ward_head = f.make_head(world.ward)
    application = grant(
        world,
        ward_head,
        units=[world.ward],
        role=Role.ORDERER,
        area_codes=["incontinence"],
        joint_ordering=True,
    )
    approve_access_application(application, actor=f.actor_of(admin))
    actor = f.actor_of(User.objects.get(hsa_id=NEW_HSA), world.ward)
    assert actor.role == Role.ORDERER and actor.joint_ordering
    assert not actor.may_prescribe


@pytest.mark.rule("ACC-2")
def test_a_doctor_gets_every_area_automatically(world: World, head: Any, admin: Any) -> None:
    application = grant(world, head, role=Role.DOCTOR, area_codes=[])
    assert application.areas.count() == 0
    approve_access_application(application, actor=f.actor_of(admin))
    actor = f.actor_of(User.objects.get(hsa_id=NEW_HSA), world.unit)
    assert actor.areas == set(f.ALL_AREAS)


@pytest.mark.rule("ACC-2")
def test_an_orderer_granted_by_application_cannot_prescribe(
    world: World, head: Any, admin: Any
) -> None:
    approve_access_application(
        grant(world, head, role=Role.ORDERER, area_codes=["diabetes"]), actor=f.actor_of(admin)
    )
    orderer = f.actor_of(User.objects.get(hsa_id=NEW_HSA), world.unit)
    with pytest.raises(PermissionDenied) as refused:
        create_prescription(
            PrescriptionDraft(
                patient=world.patient,
                product=world.diabetes_product,
                consumption_amount=1,
                consumption_period="day",
            ),
            actor=orderer,
        )
    assert refused.value.code == "ACC-2"
    assert not world.patient.prescriptions.exists()


@pytest.mark.rule("ACC-1")
def test_a_change_replaces_role_and_areas_in_the_unit(world: World, head: Any, admin: Any) -> None:
    approve_access_application(grant(world, head), actor=f.actor_of(admin))
    change = grant(
        world,
        head,
        kind=AccessApplication.Kind.CHANGE,
        role=Role.ORDERER,
        area_codes=["incontinence"],
    )
    approve_access_application(change, actor=f.actor_of(admin))
    user = User.objects.get(hsa_id=NEW_HSA)
    active = Membership.objects.filter(user=user, active=True)
    assert [(m.role, m.unit) for m in active] == [(Role.ORDERER, world.unit)]
    assert f.actor_of(user, world.unit).areas == {"incontinence"}


@pytest.mark.rule("ACC-1")
def test_an_ending_takes_effect_at_once_and_the_api_token_stops_working(
    world: World, head: Any, admin: Any
) -> None:
    approve_access_application(grant(world, head), actor=f.actor_of(admin))
    user = User.objects.get(hsa_id=NEW_HSA)
    membership = membership_for(user, world.unit.customer_number)
    key, _ = issue_token(membership)
    assert actor_for_token(key) is not None

    ending = grant(world, head, kind=AccessApplication.Kind.END, role="", area_codes=[])
    approve_access_application(ending, actor=f.actor_of(admin))

    assert actor_for_token(key) is None
    assert not ApiToken.objects.filter(membership=membership).exists()
    with pytest.raises(PermissionDenied):  # the web session's next request
        membership_for(user, world.unit.customer_number)
    # granted again later: the old token does not come back to life
    approve_access_application(grant(world, head), actor=f.actor_of(admin))
    assert actor_for_token(key) is None


@pytest.mark.rule("ACC-1")
def test_administration_can_reject_and_nothing_is_granted(
    world: World, head: Any, admin: Any
) -> None:
    application = grant(world, head)
    with pytest.raises(DomainError) as refused:
        reject_access_application(application, actor=f.actor_of(admin), reason="  ")
    assert refused.value.code == "reason_required"
    reject_access_application(application, actor=f.actor_of(admin), reason="Fel enhet")
    application.refresh_from_db()
    assert application.status == "rejected" and application.decision_note == "Fel enhet"
    assert not User.objects.filter(hsa_id=NEW_HSA).exists()
    with pytest.raises(DomainError) as again:
        approve_access_application(application, actor=f.actor_of(admin))
    assert again.value.code == "invalid_transition"
    assert not User.objects.filter(hsa_id=NEW_HSA).exists()


@pytest.mark.rule("ACC-1")
def test_the_applicant_can_withdraw_before_a_decision(world: World, head: Any, admin: Any) -> None:
    application = grant(world, head)
    other_head = f.make_head(world.unit)
    with pytest.raises(NotFound):
        withdraw_access_application(application, actor=f.actor_of(other_head, world.unit))
    withdraw_access_application(application, actor=f.actor_of(head, world.unit))
    application.refresh_from_db()
    assert application.status == "withdrawn"


@pytest.mark.rule("ACC-1")
def test_a_head_applying_for_a_unit_they_do_not_head_is_refused_and_audited(
    world: World, head: Any
) -> None:
    with pytest.raises(NotFound):
        grant(world, head, units=[world.unit, world.other_unit])
    assert not AccessApplication.objects.exists()
    event = denials("accounts.access_application.submitted").get()
    assert event.outcome == "not_found" and event.data["units"] == ["604500"]


@pytest.mark.rule("ACC-1")
def test_a_forged_unit_is_refused(world: World, head: Any) -> None:
    from lmn.organisations.models import PrescribingUnit

    forged = PrescribingUnit(customer_number="999999", name="Påhittad")
    with pytest.raises(NotFound):
        grant(world, head, units=[forged])
    assert not AccessApplication.objects.exists()
    assert denials("accounts.access_application.submitted").count() == 1


@pytest.mark.rule("ACC-1")
def test_a_head_granting_themselves_a_role_is_refused_and_audited(
    world: World, head: Any, admin: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        grant(world, head, subject_hsa_id=head.hsa_id)
    assert refused.value.code == "ACC-1"
    assert not AccessApplication.objects.exists()
    assert denials("accounts.access_application.submitted").get().outcome == "refused"
    assert not Membership.objects.filter(user=head, role=Role.PRESCRIBER).exists()


@pytest.mark.rule("ACC-1")
def test_administration_cannot_approve_its_own_access(world: World, head: Any, admin: Any) -> None:
    application = grant(world, head, subject_hsa_id=admin.hsa_id)
    with pytest.raises(DomainError) as refused:
        approve_access_application(application, actor=f.actor_of(admin))
    assert refused.value.code == "ACC-1"
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not Membership.objects.filter(user=admin, role=Role.PRESCRIBER).exists()


@pytest.mark.rule("ACC-2")
@pytest.mark.parametrize("role", ["lmnadmin", "kundtjanst", "verksamhetschef", "superuser", ""])
def test_an_unknown_or_administrative_role_cannot_be_applied_for(
    world: World, head: Any, role: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        grant(world, head, role=role)
    assert refused.value.code == "ACC-2"
    assert not AccessApplication.objects.exists()
    assert denials("accounts.access_application.submitted").count() == 1


@pytest.mark.rule("ACC-1")
@pytest.mark.parametrize("persona", ["prescriber", "orderer", "customer_service", "doctor"])
def test_only_a_head_of_unit_may_apply(world: World, persona: Any) -> None:
    user = getattr(world, persona)
    unit = world.ward if persona == "orderer" else None
    with pytest.raises(PermissionDenied) as refused:
        submit_access_application(
            AccessApplicationDraft(
                kind="grant", subject_hsa_id=NEW_HSA, units=[world.unit], role=Role.PRESCRIBER
            ),
            actor=f.actor_of(user, unit),
        )
    assert refused.value.code == "ACC-1"
    assert denials("accounts.access_application.submitted").get().outcome == "denied"


@pytest.mark.rule("ACC-1")
def test_only_administration_decides(world: World, head: Any) -> None:
    application = grant(world, head)
    with pytest.raises(PermissionDenied):
        approve_access_application(application, actor=f.actor_of(head, world.unit))
    with pytest.raises(PermissionDenied):
        approve_access_application(application, actor=f.actor_of(world.customer_service))
    application.refresh_from_db()
    assert application.status == "submitted"
    assert denials("accounts.access_application.approved").count() == 2


@pytest.mark.rule("ACC-1")
def test_a_grant_for_someone_who_already_has_access_asks_for_a_change(
    world: World, head: Any
) -> None:
    with pytest.raises(DomainError) as refused:
        grant(world, head, subject_hsa_id=world.prescriber.hsa_id)
    assert refused.value.code == "already_has_access"


@pytest.mark.rule("ACC-5")
def test_a_private_care_providers_head_applies_for_their_own_unit(world: World, admin: Any) -> None:
    private = f.make_unit("609900", provider_kind=CareProvider.Kind.PRIVATE)
    private_head = f.make_head(private)
    application = grant(world, private_head, units=[private])
    approve_access_application(application, actor=f.actor_of(admin))
    actor = f.actor_of(User.objects.get(hsa_id=NEW_HSA), private)
    assert actor.unit.care_provider.kind == "private" and actor.may_prescribe
    with pytest.raises(NotFound):  # but not for the region's unit
        grant(world, private_head, subject_hsa_id="SE2321000131-E000000778")


@pytest.mark.rule("ACC-1")
def test_a_head_lists_their_own_applications_and_administration_the_queue(
    world: World, head: Any, admin: Any
) -> None:
    """One query decides which applications a list shows, for portal and API alike."""
    first = grant(world, head)
    other_head = f.make_head(world.unit)
    second = grant(world, other_head, subject_hsa_id="SE2321000131-E000000779")
    third = grant(world, head, subject_hsa_id="SE2321000131-E000000778")
    mine = access_applications_visible_to(f.actor_of(head, world.unit))
    assert list(mine) == [third, first]  # only their own, newest first
    queue = f.actor_of(admin)
    assert list(access_applications_visible_to(queue)) == [first, second, third]
    reject_access_application(second, actor=queue, reason="Fel enhet")
    assert list(access_applications_visible_to(queue)) == [first, third]
    assert list(access_applications_visible_to(queue, status="rejected")) == [second]
    assert not access_applications_visible_to(f.actor_of(world.prescriber, world.unit)).exists()
