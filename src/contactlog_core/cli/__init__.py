"""The ``contactlog`` command line: ``main`` parses, ``demo``, ``sweep``, ``reminders`` and ``export`` run."""
