"""`yj api-token create|list|revoke USERNAME`: API tokens for an operator setting up a
program (the account page does the same for the user). The token is printed once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from yjs.api import services
from yjs.organisation.models import User


class Command(BaseCommand):
    help = "Make, list or revoke a user's API tokens."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="create: what will use the token")
        parser.add_argument("--days", type=int, default=90, help="create: days until it expires")
        parser.add_argument("--id", type=int, help="revoke: the token's id (from list)")

    def handle(self, *args, action, username, name="", days=90, id=None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if action == "create":
            if not user.has_perm("api.use_api"):
                raise CommandError(
                    f"{username} belongs to no service: an API token would open nothing"
                )
            try:
                record, token = services.create_token(user, name=name, days=days)
            except ValidationError as e:
                raise CommandError("; ".join(e.messages)) from None
            self.stdout.write(
                f"Token {record.pk} for {username}, until {record.expires_at:%Y-%m-%d}"
            )
            self.stdout.write(token)  # shown once: only its hash is stored
        elif action == "list":
            table = Table("id", "name", "starts with", "made", "expires", "last used", "revoked")
            for t in services.tokens_of(user):
                table.add_row(
                    str(t.pk),
                    t.name,
                    t.prefix,
                    f"{t.created_at:%Y-%m-%d}",
                    f"{t.expires_at:%Y-%m-%d}",
                    f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never",
                    f"{t.revoked_at:%Y-%m-%d}" if t.revoked_at else "",
                )
            Console(file=self.stdout, width=120).print(table)
        else:
            token = services.tokens_of(user).filter(pk=id).first() if id else None
            if token is None:
                raise CommandError(f"--id: {username} has no token {id}")
            services.revoke_token(user, token)
            self.stdout.write(f"Token {token.pk} revoked")
