"""Dunn's pairwise test (likertflow.dunn): what its rows say of their method."""

from __future__ import annotations

import numpy as np
from likertflow.dunn import dunn_table


def test_dunn_rows_state_their_method():
    table = dunn_table(["a", "b"], np.array([3.0, 7.0]), np.array([4, 6]), 0.0, "holm")
    assert table["method"].tolist() == [
        "Dunn z with tie correction (> 0: group_a ranks higher), two-sided normal p, adjusted "
        "(holm) over the outcome's pairs"
    ]
