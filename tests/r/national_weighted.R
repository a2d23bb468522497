# The weighted worked example (config/examples/national_weighted/) in R's survey package, from
# its raw exports, for tests/workflow/test_example_national_weighted.py.
#
# Usage (from the repository root):
#   Rscript tests/r/national_weighted.R tests/expected/national_weighted.csv
#
# The design is the full sample (every exported response); the analysed cohort (every question
# answered: the example's item_nonresponse rule) is a domain of it, subset() as survey has it.
# Per question: svymean(~factor(q), deff = TRUE) (estimate, SE, deff), svyciprop(method =
# "logit") intervals, degf; the theme score's svymean and confint; per statement by sex the
# design-based rank test (svyranktest with the weighted mid-rank of each category, as
# tests/r/design_survey.R patches it: likertflow's documented deviation) and svyolr(factor(q) ~
# sex) with its t-based p on df.residual.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
out_path <- args[1]
options(survey.lonely.psu = "adjust")

source("tests/r/common.R")
ranktest_midrank <- midrank(getFromNamespace("svyranktest.survey.design", "survey"))

data <- read_exports("national_weighted", "adults")
agreement <- agreement_labels
questions <- list(
  sex = list(column = "Sex", labels = c("Woman", "Man")),
  age_band = list(column = "Age band", labels = c("18-34", "35-64", "65 and over")),
  gp_access = list(column = "Local services - My GP practice is easy to get through to"),
  hospital_trust = list(column = "Local services - I trust the local hospital"),
  transport = list(column = "Local services - Public transport meets my needs"),
  grow_old = list(column = "Local services - My area is a good place to grow old")
)
statements <- c("gp_access", "hospital_trust", "transport", "grow_old")
for (id in names(questions)) {
  labels <- if (is.null(questions[[id]]$labels)) agreement else questions[[id]]$labels
  data[[id]] <- match(data[[questions[[id]]$column]], labels)
}
data$analysed <- complete.cases(data[names(questions)])
data$score <- rowMeans(data[statements])
data$fpc <- data[["Areas in region"]]
design <- svydesign(ids = ~Area, strata = ~Region, weights = ~Weight, fpc = ~fpc, nest = TRUE,
                    data = data)

put <- function(what, question, term, value) {
  record(what = what, question = question, term = as.character(term), value = value)
}
analysed <- subset(design, analysed)
for (id in names(questions)) {
  k <- if (is.null(questions[[id]]$labels)) 5 else length(questions[[id]]$labels)
  analysed$variables$q <- factor(analysed$variables[[id]], levels = seq_len(k))
  m <- svymean(~q, analysed, deff = TRUE)
  put("percent", id, seq_len(k), 100 * coef(m))
  put("std_error", id, seq_len(k), 100 * SE(m))
  put("deff", id, seq_len(k), deff(m))
  put("df", id, "df", degf(analysed))
  for (code in seq_len(k)) {
    analysed$variables$hit <- analysed$variables[[id]] == code
    ci <- svyciprop(~hit, analysed, method = "logit")
    put("ci_low", id, code, 100 * confint(ci)[1])
    put("ci_high", id, code, 100 * confint(ci)[2])
  }
}
s <- svymean(~score, analysed, deff = TRUE)
put("theme", "local_services", c("mean", "se", "deff", "low", "high", "df"),
    c(coef(s), SE(s), deff(s), confint(s), degf(analysed)))
for (id in statements) {
  analysed$variables$y <- analysed$variables[[id]]
  analysed$variables$sexM <- factor(analysed$variables$sex, levels = 1:2, labels = c("F", "M"))
  test <- ranktest_midrank(y ~ sexM, analysed)
  put("rank_test", id, c("t", "df", "p", "estimate"),
      c(test$statistic, test$parameter, test$p.value, test$estimate))
  fit <- svyolr(factor(y) ~ sexM, analysed,
                control = list(reltol = 1e-15, maxit = 10000, ndeps = rep(1e-5, 5)))
  put("olr", id, c("estimate", "se", "t", "p", "df"), olr_term(fit, "sexMM"))
}
write_numbers(out_path,
              "Rscript tests/r/national_weighted.R tests/expected/national_weighted.csv",
              c("survey"))
