"""The participant-flow diagram (likertflow.flow_plot): removals grouped between counts."""

from __future__ import annotations

import pandas as pd
from likertflow.flow_plot import flow_steps, plot_flow


def test_flow_steps_group_removals_between_counts():
    flow = pd.DataFrame(
        {
            "survey": ["patients"] * 6,
            "stage": [
                "exported_rows",
                "duplicate_responses",
                "returned",
                "excluded_under_18",
                "excluded_item_nonresponse",
                "analysed",
            ],  # fmt: skip
            "n": [360, 5, 355, 0, 73, 282],
        }
    )
    steps = flow_steps(flow)["patients"]
    assert [(stage, n) for stage, n, _ in steps] == [
        ("exported_rows", 360),
        ("returned", 355),
        ("analysed", 282),
    ]
    assert steps[1][2] == [("excluded_under_18", 0), ("excluded_item_nonresponse", 73)]
    figure = plot_flow(flow, {"patients": "Patients"}, {"item_nonresponse": "Item non-response"})
    texts = "\n".join(t.get_text() for t in figure.axes[0].texts)
    for expected in [
        "Patients",
        "n = 360",
        "n = 355",
        "n = 282",
        "Excluded (n = 73)",
        "Item non-response (n = 73)",
    ]:
        assert expected in texts
