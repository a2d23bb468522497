"""Write this folder's extract of the European Social Survey, round 9, United Kingdom (SOURCE.md).

    cd resources/real/ess9_gb && python make_extract.py ESS9GB.sav raw/adults/ess9_gb.sav

Keeps every respondent (2,204) and only the columns the worked example and the drafter's tests
read: the respondent id, gender, two agree-disagree batteries (fairness and justice, attitudes to
gays and lesbians), the income-differences item, and the design as ESS ships it (four weights,
the sampling stratum, the primary sampling unit). Values, variable labels, value labels and the
user-missing codes (7 refusal, 8 don't know, 9 no answer) are kept as the ESS file has them.
"""

from __future__ import annotations

import sys

import pyreadstat

COLUMNS = [
    "idno", "gndr",
    "sofrdst", "sofrwrk", "sofrpr", "sofrprv", "ppldsrv", "jstprev", "pcmpinj",
    "freehms", "hmsfmlsh", "hmsacld", "gincdif",
    "dweight", "pspwght", "pweight", "anweight", "stratum", "psu",
]  # fmt: skip


def main(source: str, target: str) -> None:
    frame, meta = pyreadstat.read_sav(source, usecols=COLUMNS, user_missing=True)
    frame = frame[COLUMNS]
    pyreadstat.write_sav(
        frame,
        target,
        column_labels=[meta.column_names_to_labels[c] for c in COLUMNS],
        variable_value_labels={
            c: labels for c, labels in meta.variable_value_labels.items() if c in COLUMNS
        },
        missing_ranges={c: r for c, r in meta.missing_ranges.items() if c in COLUMNS},
        variable_measure={c: m for c, m in meta.variable_measure.items() if c in COLUMNS},
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
