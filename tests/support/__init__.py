"""What the tests share: seeds and builders, the SQLite torture helpers, and the sizes of the heavy cases.

Imported as ``tests.support``: pytest puts the repository root on ``sys.path``
(``tests`` is a package), whether the library is installed editable or not.
"""
