# The before-and-after worked example (config/examples/before_after/) in R, from its raw exports,
# for tests/workflow/test_example_before_after.py.
#
# Usage (from the repository root):
#   Rscript tests/r/before_after.R tests/expected/before_after.csv
#
# Learners are matched by "Learner ID" (blank ids never match). Per statement: wilcox.test(after,
# before, paired = TRUE) (V, p: R's defaults, exact = NULL, correct = TRUE; zero differences
# dropped), effectsize::rank_biserial(after - before) with its 95% interval, mcnemar.test
# (Bowker's symmetry test) and the Stuart-Maxwell statistic from its formula (d' V^-1 d over the
# categories anyone moved into or out of, one left out); and the flow: matched, unmatched ids.
suppressPackageStartupMessages(library(effectsize))
args <- commandArgs(trailingOnly = TRUE)
out_path <- args[1]
source("tests/r/common.R")
before <- read_exports("before_after", "baseline")
after <- read_exports("before_after", "followup")
labels <- agreement_labels
statements <- c(confident = "I feel confident managing my condition",
                ask_for_help = "I know when to ask for help",
                exercise = "I can fit exercise into my week",
                medicines = "I understand my medicines")
b <- before[!is.na(before[["Learner ID"]]), ]
a <- after[!is.na(after[["Learner ID"]]), ]
both <- merge(b, a, by = "Learner ID", suffixes = c(".before", ".after"))
put <- function(what, statement, term, value) {
  record(what = what, statement = statement, term = as.character(term), value = value)
}
put("flow", "", "matched", nrow(both))
put("flow", "", "before_only", length(setdiff(b[["Learner ID"]], a[["Learner ID"]])))
put("flow", "", "after_only", length(setdiff(a[["Learner ID"]], b[["Learner ID"]])))
put("flow", "", "after_without_id", sum(is.na(after[["Learner ID"]])))
for (id in names(statements)) {
  x <- match(both[[paste0(statements[[id]], ".before")]], labels)
  y <- match(both[[paste0(statements[[id]], ".after")]], labels)
  test <- suppressWarnings(wilcox.test(y, x, paired = TRUE))
  put("signed_rank", id, c("V", "p", "zeros"), c(test$statistic, test$p.value, sum(y == x)))
  r <- rank_biserial(y - x, ci = 0.95)
  put("rank_biserial", id, c("r", "low", "high"), c(r$r_rank_biserial, r$CI_low, r$CI_high))
  table <- table(factor(x, levels = 1:5), factor(y, levels = 1:5))
  bowker <- mcnemar.test(table)
  put("bowker", id, c("statistic", "df", "p"), c(bowker$statistic, bowker$parameter,
                                                  bowker$p.value))
  n <- unclass(table)
  moved <- n - diag(diag(n))
  used <- (rowSums(moved) + colSums(moved)) > 0
  n <- n[used, used]
  k <- nrow(n)
  d <- (rowSums(n) - colSums(n))[-k]
  v <- -(n + t(n))
  diag(v) <- rowSums(n) + colSums(n) - 2 * diag(n)
  v <- v[-k, -k]
  statistic <- drop(t(d) %*% solve(v, d))
  put("stuart_maxwell", id, c("statistic", "df", "p"),
      c(statistic, k - 1, pchisq(statistic, k - 1, lower.tail = FALSE)))
}
write_numbers(out_path,
              "Rscript tests/r/before_after.R tests/expected/before_after.csv", c("effectsize"))
