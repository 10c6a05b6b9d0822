"""The project's user model, custom from day one as Django recommends.

https://docs.djangoproject.com/en/6.1/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project
"""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A user; add profile fields here rather than in a separate model."""

    def __str__(self) -> str:
        return self.get_username()
