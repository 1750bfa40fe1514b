"""Password reset: off unless mail can be sent, and then answered a few times an hour per client
address and per e-mail address (counted in the cache)."""

import hashlib
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import Http404

RESET_WINDOW = 60 * 60  # seconds: ATTEST_PASSWORD_RESET_PER_HOUR requests in this long


def password_reset_page(view):
    """404 unless password reset is on (settings.ATTEST_PASSWORD_RESET: mail can be sent)."""

    @wraps(view)
    def page(request, *args, **kwargs):
        if not settings.ATTEST_PASSWORD_RESET:
            raise Http404("Password reset is off: no e-mail is configured.")
        return view(request, *args, **kwargs)

    return page


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, answered a few times an hour per client address and per e-mail."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().casefold()
        keys = [
            f"password-reset:address:{get_client_ip_address(self.request)}",
            f"password-reset:email:{hashlib.sha256(email.encode()).hexdigest()}",
        ]
        if max(_counted(key) for key in keys) > settings.ATTEST_PASSWORD_RESET_PER_HOUR:
            form.add_error(
                "email",
                f"Too many password reset requests: at most "
                f"{settings.ATTEST_PASSWORD_RESET_PER_HOUR} an hour from one address or for one "
                "e-mail address. Try again in an hour, or ask a curator to reset your password.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def _counted(key: str) -> int:
    """One more request under key in this window: how many there have been."""
    cache.add(key, 0, RESET_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW)
        return 1
