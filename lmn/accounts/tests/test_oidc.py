"""Staff SSO maps the provider's HSA-id claim to an existing user, never creating one."""

from __future__ import annotations

from pytest_django.fixtures import Settings as DjangoSettings

from lmn.accounts.oidc import HsaIdBackend
from lmn.testing.types import World


def test_the_hsa_id_claim_finds_the_staff_user(world: World, settings: DjangoSettings) -> None:
    settings.OIDC_RP_CLIENT_ID = "lmn"
    settings.OIDC_RP_CLIENT_SECRET = "s"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    backend = HsaIdBackend()
    claims = {"hsa_id": world.prescriber.hsa_id, "name": "Någon"}
    assert backend.verify_claims(claims)
    assert list(backend.filter_users_by_claims(claims)) == [world.prescriber]
    assert not backend.verify_claims({"email": "x@example.se"})
    assert list(backend.filter_users_by_claims({"hsa_id": "SE-unknown"})) == []
    assert backend.create_user({"hsa_id": "SE-new"}) is None  # type: ignore[func-returns-value]


def test_a_deactivated_user_cannot_sign_in(world: World, settings: DjangoSettings) -> None:
    settings.OIDC_RP_CLIENT_ID = "lmn"
    settings.OIDC_RP_CLIENT_SECRET = "s"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    world.prescriber.is_active = False
    world.prescriber.save()
    backend = HsaIdBackend()
    assert list(backend.filter_users_by_claims({"hsa_id": world.prescriber.hsa_id})) == []


def test_a_training_login_cannot_sign_in_by_sso_in_production(
    world: World, settings: DjangoSettings
) -> None:
    settings.OIDC_RP_CLIENT_ID = "lmn"
    settings.OIDC_RP_CLIENT_SECRET = "s"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    world.prescriber.training = True
    world.prescriber.save()
    claims = {"hsa_id": world.prescriber.hsa_id}
    assert list(HsaIdBackend().filter_users_by_claims(claims)) == [world.prescriber]
    settings.TRAINING_MODE = False
    assert list(HsaIdBackend().filter_users_by_claims(claims)) == []
