"""Before-and-after pairs (config ``pairs``): each person's two waves matched by linking id;
signed-rank tests, rank-biserial correlations and before-by-after tables per statement."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import SUPPRESSED, policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.publishing import analysed_as_published
from likertflow.settings import Pair
from likertflow.weighting import (
    PAIR_FLOW_COLUMNS,
    PAIR_TABLE_COLUMNS,
    PAIR_TEST_COLUMNS,
    pair_tables,
    publish_pairs,
)


def main(snakemake):
    policy = policy_of(snakemake.params.disclosure)
    analysed = {survey_of(path): pd.read_parquet(path) for path in snakemake.input.analysed}
    shown = analysed_as_published(snakemake.input.flow)
    hidden_waves = set()  # (pair, wave) whose questionnaire's analysed count the flow hides
    parts = [[pd.DataFrame(columns=c)] for c in (PAIR_TEST_COLUMNS, PAIR_TABLE_COLUMNS,
                                                   PAIR_FLOW_COLUMNS)]  # fmt: skip
    for name, spec in snakemake.params.pairs.items():
        pair = Pair.from_params(spec, f"pairs.{name}")
        before = parse_questionnaire(snakemake.params.codebooks[pair.before])
        after = parse_questionnaire(snakemake.params.codebooks[pair.after])
        waves = {"before": pair.before, "after": pair.after}
        hidden_waves |= {(name, w) for w, survey in waves.items() if shown[survey] == SUPPRESSED}
        made = pair_tables(name, analysed[pair.before], analysed[pair.after], before, after,
                           list(pair.outcomes), snakemake.params.confidence_level)  # fmt: skip
        for part, table in zip(parts, made, strict=True):
            part.append(table)
    tests, tables, flow = (pd.concat(part, ignore_index=True) for part in parts)
    tests, tables, flow = publish_pairs(tests, tables, flow, policy, snakemake.params.alpha,
                                        hidden_waves)  # fmt: skip
    write_csv(tests, snakemake.output.tests)
    write_csv(tables, snakemake.output.tables)
    write_csv(flow, snakemake.output.flow)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
