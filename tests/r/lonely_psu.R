# Lonely PSUs, census strata and domains without a member in a stratum, in R's survey package,
# for tests/unit/test_design.py (design._variance's rules, which tests/r/design_survey.R's samples
# reach only in part: there the lonely stratum D is the last, the census one too, and every
# domain of the clustered sample has members in every stratum).
#
# Usage (from the repository root):
#   Rscript tests/r/lonely_psu.R tests/expected/lonely_psu.csv
#
# The samples of tests/data/design_lonely.csv: "clustered" (stratum a of 2 PSUs, b of a single
# PSU, c of 3; with the fpc, a is sampled completely: a census stratum before the others),
# "unclustered" (each response its own PSU; stratum a has a single response) and "singletons"
# (two strata of one response each: under "average" no stratum is left to average over). Each
# without and with the fpc (the column population), under the lonely-PSU rules adjust, average,
# remove and certainty, for the whole sample and for the domain of the rows marked True (no
# member in stratum c; all of "singletons"): the standard errors of svymean(~y) and of the share
# y == 1 (svymean(~factor(y))), and degf.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
out_path <- args[1]
source("tests/r/common.R")

data <- read.csv("tests/data/design_lonely.csv", stringsAsFactors = FALSE)
data$domain <- data$domain == "True"
for (name in unique(data$sample)) {
  rows <- data[data$sample == name, ]
  clustered <- !all(is.na(rows$psu) | rows$psu == "")
  for (fpc in c("none", "fpc")) {
    for (lonely in c("adjust", "average", "remove", "certainty")) {
      options(survey.lonely.psu = lonely)
      design <- svydesign(ids = if (clustered) ~psu else ~1, strata = ~stratum,
                          weights = ~weight, data = rows,
                          fpc = if (fpc == "none") NULL else ~population, nest = TRUE)
      for (domain in c("all", "domain")) {
        part <- if (domain == "all") design else subset(design, domain)
        put <- function(statistic, value) {
          record(sample = name, fpc = fpc, lonely = lonely, domain = domain,
                 statistic = statistic, value = value)
        }
        put("mean_se", SE(svymean(~y, part)))
        put("share_se", SE(svymean(~factor(y), part))[[2]])
        put("df", degf(part))
      }
    }
  }
}
write_numbers(out_path, "Rscript tests/r/lonely_psu.R tests/expected/lonely_psu.csv", c("survey"))
