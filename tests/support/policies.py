"""The disclosure policies the tests publish under, as ``policy_of`` builds them from config
(test_disclosure.py checks what it builds): the NHS rule, a threshold of 10, and none."""

from likertflow.disclosure import policy_of

NHS = policy_of({"rule": "nhs"})
TEN = policy_of({"rule": "threshold", "min_count": 10})
NONE = policy_of({"rule": "none"})
