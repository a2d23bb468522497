# The real weighted example (config/examples/ess9_gb/: the European Social Survey, round 9,
# United Kingdom; resources/real/ess9_gb/SOURCE.md) in R's survey package, from the SPSS file as
# the ESS ships it, for tests/workflow/test_example_ess9_gb.py.
#
# Usage (from the repository root):
#   Rscript tests/r/ess9_gb.R tests/expected/ess9_gb.csv
#
# The file is read with foreign::read.spss, its declared missing codes (7, 8, 9) as NA. The
# design is the ESS's: svydesign(ids = ~psu, strata = ~stratum, weights = ~anweight, nest =
# TRUE), the full sample (every respondent). The analysed cohort (the example's exclusion: a
# respondent who answered fewer than half of the 11 questions is left out) is a domain of it, and
# each estimate is made on the domain of the analysed respondents who answered the question
# (subset(), as survey has it). The agreement items are coded 1 (disagree strongly) to 5 (agree
# strongly): the ESS codes them the other way round. Per question: svymean(~factor(q), deff =
# TRUE), svyciprop(method = "logit"), degf; the theme score's svymean and confint (the mean of
# the three justice items, on respondents who answered all three); per statement by gender the
# design-based rank test (svyranktest with the weighted mid-rank of each category, as
# tests/r/design_survey.R patches it: likertflow's documented deviation) and svyolr(factor(y) ~
# gender) with its t-based p on df.residual; and two statements by the five answers to gincdif:
# the rank test of more than two groups (survey's multiranktest, patched the same way: its
# Wald chi-squared, F on 4 and degf - 4 df) and svyolr's four log odds ratios.
suppressPackageStartupMessages({
  library(survey)
  library(foreign)
})
args <- commandArgs(trailingOnly = TRUE)
out_path <- args[1]
options(survey.lonely.psu = "fail")

source("tests/r/common.R")
ranktest_midrank <- midrank(getFromNamespace("svyranktest.survey.design", "survey"))
# More than two groups: svyranktest calls multiranktest, which ranks the same way.
multiranktest_midrank <- midrank(getFromNamespace("multiranktest", "survey"))

data <- suppressWarnings(read.spss("resources/real/ess9_gb/raw/adults/ess9_gb.sav",
                                   to.data.frame = TRUE, use.value.labels = FALSE,
                                   use.missings = TRUE))
statements <- c("sofrdst", "sofrwrk", "sofrpr", "sofrprv", "ppldsrv", "jstprev", "pcmpinj",
                "freehms", "hmsacld", "gincdif")
for (id in statements) data[[id]] <- 6 - data[[id]]
questions <- c("gndr", statements)
data$analysed <- 2 * rowSums(!is.na(data[questions])) >= length(questions)
justice <- c("ppldsrv", "jstprev", "pcmpinj")
data$score <- rowMeans(data[justice])  # NA unless all three were answered
data$gender <- factor(data$gndr, levels = 1:2, labels = c("Male", "Female"))
design <- svydesign(ids = ~psu, strata = ~stratum, weights = ~anweight, nest = TRUE,
                    data = data)

put <- function(what, question, term, value) {
  record(what = what, question = question, term = as.character(term), value = value)
}
put("n", "analysed", "n", sum(data$analysed))
for (id in questions) {
  k <- if (id == "gndr") 2 else 5
  design$variables$q <- design$variables[[id]]
  domain <- subset(design, analysed & !is.na(q))
  domain$variables$f <- factor(domain$variables$q, levels = seq_len(k))
  m <- svymean(~f, domain, deff = TRUE)
  put("n", id, "n", nrow(domain$variables[weights(domain, "sampling") != 0, ]))
  put("percent", id, seq_len(k), 100 * coef(m))
  put("std_error", id, seq_len(k), 100 * SE(m))
  put("deff", id, seq_len(k), deff(m))
  put("df", id, "df", degf(domain))
  for (code in seq_len(k)) {
    domain$variables$hit <- domain$variables$q == code
    ci <- svyciprop(~hit, domain, method = "logit")
    put("ci_low", id, code, 100 * confint(ci)[1])
    put("ci_high", id, code, 100 * confint(ci)[2])
  }
}
scored <- subset(design, analysed & !is.na(score))
s <- svymean(~score, scored, deff = TRUE)
put("theme", "just_world", c("mean", "se", "deff", "low", "high", "df", "n"),
    c(coef(s), SE(s), deff(s), confint(s), degf(scored), sum(weights(scored, "sampling") != 0)))
outcomes <- c("sofrdst", "sofrwrk", "ppldsrv", "jstprev", "freehms", "hmsacld", "gincdif")
for (id in outcomes) {
  design$variables$y <- design$variables[[id]]
  compared <- subset(design, analysed & !is.na(y) & !is.na(gender))
  test <- ranktest_midrank(y ~ gender, compared)
  put("rank_test", id, c("t", "df", "p", "estimate", "n"),
      c(test$statistic, test$parameter, test$p.value, test$estimate,
        sum(weights(compared, "sampling") != 0)))
  fit <- svyolr(factor(y) ~ gender, compared,
                control = list(reltol = 1e-15, maxit = 10000, ndeps = rep(1e-5, 5)))
  put("olr", id, c("estimate", "se", "t", "p", "df"), olr_term(fit, "genderFemale"))
}
for (id in c("sofrdst", "freehms")) {
  design$variables$y <- design$variables[[id]]
  design$variables$view <- factor(design$variables$gincdif, levels = 1:5)
  compared <- subset(design, analysed & !is.na(y) & !is.na(view))
  test <- multiranktest_midrank(y ~ view, compared)
  # multiranktest names its chi-squared "parameter" and its numerator df "statistic"
  put("rank_test_by_gincdif", id, c("chisq", "ndf", "ddf", "p", "n"),
      c(test$parameter, test$statistic, test$ddf, test$p.value,
        sum(weights(compared, "sampling") != 0)))
  fit <- svyolr(factor(y) ~ view, compared,
                control = list(reltol = 1e-15, maxit = 10000, ndeps = rep(1e-5, 8)))
  terms <- paste0("view", 2:5)
  b <- coef(fit)[terms]
  se <- sqrt(diag(vcov(fit)))[terms]
  put("olr_by_gincdif", id, paste0("estimate_", 2:5), b)
  put("olr_by_gincdif", id, paste0("t_", 2:5), b / se)
  put("olr_by_gincdif", id, paste0("p_", 2:5), 2 * pt(-abs(b / se), fit$df.residual))
  put("olr_by_gincdif", id, "df", fit$df.residual)
}
write_numbers(out_path, "Rscript tests/r/ess9_gb.R tests/expected/ess9_gb.csv", c("survey"))
