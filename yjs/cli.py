"""`yj`: the one command in front of the platform's management commands (`yj kpi`, `yj demo`...)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"]:  # gunicorn, not a management command: see yjs/serving.py
        from yjs.serving import main as serve

        return serve(args[1:])
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # `yj board-pack` runs the board_pack command
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yj", *args])


if __name__ == "__main__":
    main()
