# Paired before-and-after tests of R on the pairs of tests/data/paired.csv (written by
# tests/r/paired_data.py), for tests/unit/test_paired.py.
#
# Usage (from the repository root):
#   Rscript tests/r/paired.R tests/expected/paired.csv
#
# Per scenario: wilcox.test(after, before, paired = TRUE) with R's defaults (exact = NULL,
# correct = TRUE) and with correct = FALSE; effectsize::rank_biserial of the differences (its
# "Pair" form, after - before) with its 95% interval, and of the two samples with
# paired = TRUE (whose interval counts the non-zero values of `after`, not of the differences:
# rows rank_biserial_two_samples); mcnemar.test of the before-by-after table over the scale's
# codes (McNemar with continuity correction for two points, Bowker's symmetry test for more);
# and the Stuart-Maxwell test written out by its formula (no package of Debian's R has it:
# coin is not packaged): d = row totals - column totals, V_ii = n_i. + n_.i - 2 n_ii,
# V_ij = -(n_ij + n_ji), over the k categories someone moved into or out of (the others have
# d = 0 and a zero row of V), the last one left out of d; d' V^-1 d on k - 1 df.
suppressPackageStartupMessages(library(effectsize))
args <- commandArgs(trailingOnly = TRUE)
pairs <- read.csv("tests/data/paired.csv", stringsAsFactors = FALSE)
source("tests/r/common.R")
put <- function(scenario, statistic, term, value) {
  record(scenario = scenario, statistic = statistic, term = term, value = value)
}
stuart_maxwell <- function(x) {
  moved <- x - diag(diag(x))
  used <- (rowSums(moved) + colSums(moved)) > 0
  if (sum(used) < 2) return(c(NaN, sum(used) - 1, NaN))
  x <- x[used, used, drop = FALSE]
  k <- nrow(x)
  d <- (rowSums(x) - colSums(x))[-k]
  v <- -(x + t(x))
  diag(v) <- rowSums(x) + colSums(x) - 2 * diag(x)
  v <- v[-k, -k, drop = FALSE]
  statistic <- tryCatch(as.numeric(t(d) %*% solve(v, d)), error = function(e) NaN)
  c(statistic, k - 1, pchisq(statistic, k - 1, lower.tail = FALSE))
}
for (scenario in unique(pairs$scenario)) {
  p <- pairs[pairs$scenario == scenario, ]
  w <- suppressWarnings(wilcox.test(p$after, p$before, paired = TRUE))
  put(scenario, "wilcox", c("V", "p", "exact"),
      c(w$statistic, w$p.value, as.numeric(grepl("exact", w$method))))
  w0 <- suppressWarnings(wilcox.test(p$after, p$before, paired = TRUE, correct = FALSE))
  put(scenario, "wilcox_uncorrected", c("V", "p"), c(w0$statistic, w0$p.value))
  r <- suppressWarnings(rank_biserial(p$after - p$before, ci = 0.95))
  put(scenario, "rank_biserial", c("r", "low", "high"), c(r$r_rank_biserial, r$CI_low, r$CI_high))
  r2 <- suppressWarnings(rank_biserial(p$after, p$before, paired = TRUE, ci = 0.95))
  put(scenario, "rank_biserial_two_samples", c("r", "low", "high"),
      c(r2$r_rank_biserial, r2$CI_low, r2$CI_high))
  codes <- seq_len(p$scale[1])
  x <- table(factor(p$before, levels = codes), factor(p$after, levels = codes))
  m <- suppressWarnings(mcnemar.test(x))
  put(scenario, "mcnemar", c("statistic", "df", "p"), c(m$statistic, m$parameter, m$p.value))
  put(scenario, "stuart_maxwell", c("statistic", "df", "p"), stuart_maxwell(unclass(x)))
}
write_numbers(args[1], "Rscript tests/r/paired.R tests/expected/paired.csv", c("effectsize"))
