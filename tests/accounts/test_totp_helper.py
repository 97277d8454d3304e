"""The tests' authenticator app (tests/second_factor.totp_code) gives a code the platform
accepts even after django-otp moved the device's drift or the current code was used."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.second_factor import totp_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("drift", [-1, 0, 1])
def test_the_helpers_code_is_accepted_whatever_the_drift_and_after_a_use(user_of, drift):
    device = TOTPDevice.objects.create(user=user_of("finance-1"), name="app", confirmed=True)
    device.drift = drift
    device.save()
    assert device.verify_token(totp_code(device))
    assert device.verify_token(totp_code(device))  # the next code, once this one is used
