"""Django's model backend, loading the profile with the user on every request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfileModelBackend(ModelBackend):
    """The access policy reads the profile on every request; join it to the user query."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        user = user_model._default_manager.select_related("profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
