"""What the tests share beyond fixtures (tests/conftest.py): building exports and their platform
layouts (``exportkit``, ``platformkit``; the benchmarks use them too) and the independent
disclosure checker (``disclosure_checker``)."""
