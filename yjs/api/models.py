"""Per-user API tokens: only a token's SHA-256 is kept; the token itself is shown once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A key a program uses instead of a signed-in session, with the rights of its user.

    Revoked tokens are kept (not deleted) so the account page and the audit trail can say
    which token did what; a revoked or expired token opens nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a person can tell their tokens apart (not enough to use one).
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Rate limiting: a fixed window per token, counted in the database so every web worker
    # sees the same count (Django's default cache is one per process).
    window_start = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"API token {self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
