from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A log-in. The user name is the person's e-mail address; roles live on Person memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
