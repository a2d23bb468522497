"""What the tests share beyond fixtures (tests/conftest.py): building exports and their platform
layouts (``exportkit``, ``platformkit``; the benchmarks use them too) and the Likert figures'
geometry read against their published counts (``likert_geometry``)."""
