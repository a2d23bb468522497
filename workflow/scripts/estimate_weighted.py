"""Design-based estimates of every questionnaire with a survey design: weighted percentages of
every answer, weighted theme means, and the design itself, under the disclosure rule."""

import pandas as pd
from likertflow.codebook import parse_questionnaire
from likertflow.disclosure import policy_of
from likertflow.errors import run_step
from likertflow.files import survey_of, write_csv
from likertflow.publishing import flow_as_published, read_plans
from likertflow.settings import WeightingSettings
from likertflow.weighting import (
    design_checked,
    design_of,
    design_summary,
    frequencies_table,
    publish_design_summary,
    publish_frequencies_table,
    publish_means_table,
    read_units,
    theme_means_table,
)


def main(snakemake):
    settings = WeightingSettings.from_params(snakemake.params.analysis)
    policy = policy_of(snakemake.params.disclosure)
    plans = read_plans(snakemake.input.plans)
    level = settings.confidence_level
    frequencies, means, designs = [], [], []
    for analysed_path, units_path in zip(snakemake.input.analysed, snakemake.input.units,
                                         strict=True):  # fmt: skip
        analysed = pd.read_parquet(analysed_path)
        units = read_units(units_path)
        survey = survey_of(units_path)
        questionnaire = parse_questionnaire(snakemake.params.codebooks[survey])
        with design_checked(questionnaire):
            design = design_of(units, questionnaire)
            frequencies.append(frequencies_table(analysed, questionnaire, design, level,
                                                 settings.proportion_interval,
                                                 settings.design_effect))  # fmt: skip
            means.append(theme_means_table(analysed, questionnaire, design, level,
                                           settings.design_effect))  # fmt: skip
            designs.append(design_summary(survey, questionnaire, units, analysed, design))
    frequencies = publish_frequencies_table(pd.concat(frequencies, ignore_index=True), plans,
                                            policy)  # fmt: skip
    means = publish_means_table(pd.concat(means, ignore_index=True), policy)
    designs = publish_design_summary(pd.concat(designs, ignore_index=True), policy,
                                     flow_as_published(snakemake.input.flow))  # fmt: skip
    write_csv(frequencies, snakemake.output.frequencies)
    write_csv(means, snakemake.output.means)
    write_csv(designs, snakemake.output.design)


if __name__ == "__main__":
    run_step(main, snakemake)  # noqa: F821
