"""Passkeys through the platform's own endpoints, with a software authenticator (an ES256 key
made here, attestation "none", as a platform authenticator answers): registered as a first
factor by an officer, then used after the password to verify a new session."""

import hashlib
import json
from base64 import urlsafe_b64decode, urlsafe_b64encode

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from accounts.passkeys import platform_origin, relying_party_id
from tests.conftest import email_of

pytestmark = pytest.mark.django_db
PROFILE = reverse("accounts:profile")


def _b64(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One credential on one device: user present and verified, counter counting up."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = b"soft-credential-" + hashlib.sha256(b"x").digest()[:8]
        self.count = 0
        self.rp_hash = hashlib.sha256(relying_party_id().encode()).digest()

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": platform_origin(),
                "crossOrigin": False,
            }
        ).encode()

    def create(self, options: dict) -> dict:
        numbers = self.key.public_key().public_numbers()
        cose = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        auth_data = (
            self.rp_hash
            + bytes([0x45])  # user present, user verified, attested credential data
            + self.count.to_bytes(4, "big")
            + bytes(16)  # AAGUID
            + len(self.credential_id).to_bytes(2, "big")
            + self.credential_id
            + cose
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": _b64(self.credential_id),
            "rawId": _b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": _b64(self._client_data("webauthn.create", options["challenge"])),
                "attestationObject": _b64(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
        }

    def get(self, options: dict) -> dict:
        assert _b64(self.credential_id) in [c["id"] for c in options.get("allowCredentials", [])]
        self.count += 1
        auth_data = self.rp_hash + bytes([0x05]) + self.count.to_bytes(4, "big")
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": _b64(self.credential_id),
            "rawId": _b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": _b64(client_data),
                "authenticatorData": _b64(auth_data),
                "signature": _b64(signature),
            },
            "clientExtensionResults": {},
        }


def _json_post(client, name, body=None):
    return client.post(reverse(name), data=json.dumps(body or {}), content_type="application/json")


def _password(client, key):
    response = client.post(
        reverse("accounts:login"),
        {"username": email_of(key), "password": settings.DEMO_PASSWORD},
    )
    assert response.status_code == 302


def test_a_passkey_is_registered_as_first_factor_then_verifies_the_next_log_in():
    authenticator = SoftAuthenticator()
    officer = Client()
    _password(officer, "athens-officer-1")
    options = _json_post(officer, "otp_webauthn:credential-registration-begin").json()
    assert options["rp"]["id"] == relying_party_id()
    done = _json_post(
        officer, "otp_webauthn:credential-registration-complete", authenticator.create(options)
    )
    assert done.status_code == 200, done.content
    assert WebAuthnCredential.objects.get(user__username=email_of("athens-officer-1")).confirmed
    # The enrolment page, told by its script, shows the recovery codes next.
    told = officer.post(reverse("accounts:enrol"), {"passkey_registered": "1", "next": PROFILE})
    assert told["Location"].startswith(reverse("accounts:recovery_codes"))

    # A new log-in: the password, then the passkey.
    later = Client()
    _password(later, "athens-officer-1")
    assert later.get(PROFILE)["Location"].startswith(reverse("accounts:second_factor"))
    page = later.get(reverse("accounts:second_factor")).content.decode()
    assert "passkey-verification-placeholder" in page
    options = _json_post(later, "otp_webauthn:credential-authentication-begin").json()
    verified = _json_post(
        later, "otp_webauthn:credential-authentication-complete", authenticator.get(options)
    )
    assert verified.status_code == 200, verified.content
    assert later.get(PROFILE).status_code == 200


def test_a_passkey_of_another_origin_is_refused():
    authenticator = SoftAuthenticator()
    officer = Client()
    _password(officer, "athens-officer-1")
    options = _json_post(officer, "otp_webauthn:credential-registration-begin").json()
    answer = authenticator.create(options)
    client_data = json.loads(_unb64(answer["response"]["clientDataJSON"]))
    client_data["origin"] = "https://phishing.example"
    answer["response"]["clientDataJSON"] = _b64(json.dumps(client_data).encode())
    refused = _json_post(officer, "otp_webauthn:credential-registration-complete", answer)
    assert refused.status_code >= 400
    assert not WebAuthnCredential.objects.exists()
