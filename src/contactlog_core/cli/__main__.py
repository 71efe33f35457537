"""``python -m contactlog_core.cli``: the ``contactlog`` command without its console script."""

from contactlog_core.cli.main import main

raise SystemExit(main())
