# The comparisons and the weighted panel of the weighted worked example
# (config/examples/national_weighted/) in R's survey package, from its raw exports, for
# tests/workflow/test_example_design.py.
#
# Usage (from the repository root):
#   Rscript tests/r/national_weighted_compare.R tests/expected/national_weighted_compare.csv
#
# Each questionnaire's design is its full sample (every exported response); its analysed
# cohort (every statement answered: the example's item_nonresponse rule) is a domain of it,
# subset() as survey has it. The theme score local_services is the mean of the four statements.
# - adults_by_sex, local_services (a theme score, 2 groups): the design-based rank test
#   (svyranktest with the weighted mid-rank of each value, likertflow's documented deviation, as
#   tests/r/design_survey.R patches it) and svyglm(score ~ sex) (coefficient, SE, t, p and the
#   Wald interval on df.residual).
# - adults_by_age (age in years in the config's bands 18-39, 40-64, 65 and over; 3 groups):
#   the patched multiranktest (Wald chi-squared, F on (2, degf - 2) df) of gp_access, grow_old
#   and local_services, svyolr(factor(y) ~ band) of the two statements, svyglm(score ~ band) of
#   the theme.
# - adults_vs_carers (two independent samples): the two stacked as svydesign(ids = ~psu,
#   strata = ~stratum, weights = ~Weight, fpc = ~fpc, nest = TRUE) with stratum = questionnaire
#   x its stratum, psu = an adult's area or each carer on their own (carers are unclustered),
#   fpc = areas in the region (adults) or carers in the setting (carers); the rank test and
#   svyolr of gp_access and transport, the rank test and svyglm of the theme.
# - panel (adults, then adults_followup, linked by Person ID): the people matched among both
#   waves' analysed cohorts as a domain of the adults' design; per statement svymean of the
#   answer before and after, svyttest(d ~ 0) of d = after - before (t, df, p, interval) with
#   svymean(~d, deff = TRUE) (SE, deff); the before-by-after table as svymean(~factor(cell),
#   deff = TRUE) over the 25 cells and svyciprop(method = "logit") of each.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
out_path <- args[1]
options(survey.lonely.psu = "adjust")

source("tests/r/common.R")
ranktest2 <- midrank(getFromNamespace("svyranktest.survey.design", "survey"))
ranktest3 <- midrank(getFromNamespace("multiranktest", "survey"))

read <- function(survey) read_exports("national_weighted", survey)
agreement <- agreement_labels
statements <- c(gp_access = "Local services - My GP practice is easy to get through to",
                hospital_trust = "Local services - I trust the local hospital",
                transport = "Local services - Public transport meets my needs",
                grow_old = "Local services - My area is a good place to grow old")
coded <- function(data) {
  for (id in names(statements)) data[[id]] <- match(data[[statements[[id]]]], agreement)
  data$analysed <- complete.cases(data[names(statements)])
  data$score <- rowMeans(data[names(statements)])
  data
}
adults <- coded(read("adults"))
adults$sex <- factor(adults$Sex, levels = c("Woman", "Man"))
adults$band <- cut(adults$Age, c(18, 40, 65, Inf), right = FALSE,
                   labels = c("18-39", "40-64", "65 and over"))
carers <- coded(read("carers"))
followup <- coded(read("adults_followup"))

put <- function(what, outcome, term, value) {
  record(what = what, outcome = outcome, term = as.character(term), value = value)
}
put_rank2 <- function(comparison, outcome, domain) {
  test <- ranktest2(y ~ g, domain)
  put(paste0(comparison, "/rank_test"), outcome, c("t", "df", "p", "estimate"),
      c(test$statistic, test$parameter, test$p.value, test$estimate))
}
put_rank3 <- function(comparison, outcome, domain) {
  test <- ranktest3(y ~ g, domain)  # the chi-squared in $parameter, its df in $statistic
  put(paste0(comparison, "/rank_test"), outcome, c("chisq", "df", "p"),
      c(test$parameter, test$ddf, test$p.value))
}
put_olr <- function(comparison, outcome, domain) {
  used <- domain$variables[weights(domain, "sampling") > 0, ]
  parameters <- length(unique(used$y)) - 1 + length(unique(used$g)) - 1
  control <- list(reltol = 1e-15, maxit = 10000, ndeps = rep(1e-5, parameters))
  fit <- svyolr(factor(y) ~ g, domain, control = control)
  for (restart in 1:3) {  # BFGS stops short of the optimum: restarted from where it stopped
    start <- c(coef(fit)[seq_len(parameters - length(fit$zeta))], fit$zeta)
    fit <- svyolr(factor(y) ~ g, domain, start = start, control = control)
  }
  terms <- grep("^g", names(coef(fit)), value = TRUE)
  se <- sqrt(diag(vcov(fit)))[terms]
  b <- coef(fit)[terms]
  put(paste0(comparison, "/olr"), outcome, paste(terms, "estimate"), b)
  put(paste0(comparison, "/olr"), outcome, paste(terms, "t"), b / se)
  put(paste0(comparison, "/olr"), outcome, paste(terms, "p"),
      2 * pt(-abs(b / se), fit$df.residual))
  put(paste0(comparison, "/olr"), outcome, "df", fit$df.residual)
}
put_glm <- function(comparison, outcome, domain) {
  fit <- svyglm(y ~ g, domain)
  terms <- grep("^g", names(coef(fit)), value = TRUE)
  s <- summary(fit)$coefficients
  q <- qt(0.975, fit$df.residual)
  put(paste0(comparison, "/means"), outcome, paste(terms, "estimate"), s[terms, 1])
  put(paste0(comparison, "/means"), outcome, paste(terms, "t"), s[terms, 3])
  put(paste0(comparison, "/means"), outcome, paste(terms, "p"), s[terms, 4])
  put(paste0(comparison, "/means"), outcome, paste(terms, "low"), s[terms, 1] - q * s[terms, 2])
  put(paste0(comparison, "/means"), outcome, paste(terms, "high"), s[terms, 1] + q * s[terms, 2])
  put(paste0(comparison, "/means"), outcome, "df", fit$df.residual)
}

# Each outcome of a comparison of the groups g of ``domain``: the rank test (``put_rank``), then
# svyglm of the theme score (local_services) or svyolr of a statement.
put_outcomes <- function(comparison, ids, domain, put_rank) {
  for (id in ids) {
    domain$variables$y <- if (id == "local_services") domain$variables$score else
      domain$variables[[id]]
    put_rank(comparison, id, domain)
    if (id == "local_services") put_glm(comparison, id, domain) else
      put_olr(comparison, id, domain)
  }
}

adults$fpc <- adults[["Areas in region"]]
design <- svydesign(ids = ~Area, strata = ~Region, weights = ~Weight, fpc = ~fpc, nest = TRUE,
                    data = adults)
analysed <- subset(design, analysed)

# adults_by_sex: the theme score
analysed$variables$y <- analysed$variables$score
analysed$variables$g <- analysed$variables$sex
put_rank2("adults_by_sex", "local_services", analysed)
put_glm("adults_by_sex", "local_services", analysed)

# adults_by_age: the config's bands of age
analysed$variables$g <- analysed$variables$band
put_outcomes("adults_by_age", c("gp_access", "grow_old", "local_services"), analysed, put_rank3)

# adults_vs_carers: the two samples stacked, each questionnaire its own strata
columns <- c(names(statements), "analysed", "score", "Weight")
stack <- rbind(
  data.frame(adults[columns], stratum = paste("adults", adults$Region), psu = adults$Area,
             fpc = adults[["Areas in region"]], g = "Adults", check.names = FALSE),
  data.frame(carers[columns], stratum = paste("carers", carers$Setting),
             psu = paste0("carer", seq_len(nrow(carers))), fpc = carers[["Carers in setting"]],
             g = "Carers", check.names = FALSE)
)
stack$g <- factor(stack$g, levels = c("Adults", "Carers"))
stacked <- svydesign(ids = ~psu, strata = ~stratum, weights = ~Weight, fpc = ~fpc, nest = TRUE,
                     data = stack)
both <- subset(stacked, analysed)
put_outcomes("adults_vs_carers", c("gp_access", "transport", "local_services"), both, put_rank2)

# panel: the matched people a domain of the adults' design, weighted by it
later <- followup[followup$analysed & !is.na(followup[["Person ID"]]), ]
matched <- adults$analysed & adults[["Person ID"]] %in% later[["Person ID"]]
after_row <- match(adults[["Person ID"]], later[["Person ID"]])
put("panel", "", "matched", sum(matched))
for (id in names(statements)) {
  design$variables$before <- adults[[id]]
  design$variables$after <- later[[id]][after_row]
  design$variables$d <- design$variables$after - design$variables$before
  design$variables$cell <- factor((design$variables$before - 1) * 5 + design$variables$after,
                                  levels = 1:25)
  pairs <- subset(design, matched)
  before <- svymean(~before, pairs)
  after <- svymean(~after, pairs)
  change <- svymean(~d, pairs, deff = TRUE)
  test <- svyttest(d ~ 0, pairs)
  put("panel/test", id, c("before", "after", "difference", "se", "deff", "t", "df", "p", "low",
                          "high"),
      c(coef(before), coef(after), coef(change), SE(change), deff(change), test$statistic,
        test$parameter, test$p.value, test$conf.int))
  m <- svymean(~cell, pairs, deff = TRUE)
  put("panel/table", id, paste("percent", 1:25), 100 * coef(m))
  put("panel/table", id, paste("se", 1:25), 100 * SE(m))
  put("panel/table", id, paste("deff", 1:25), deff(m))
  for (cell in 1:25) {
    pairs$variables$hit <- as.numeric(pairs$variables$cell) == cell
    ci <- suppressWarnings(svyciprop(~hit, pairs, method = "logit"))
    put("panel/table", id, paste("low", cell), 100 * confint(ci)[1])
    put("panel/table", id, paste("high", cell), 100 * confint(ci)[2])
  }
  put("panel/table", id, "df", degf(pairs))
}

write_numbers(out_path,
              paste("Rscript tests/r/national_weighted_compare.R",
                    "tests/expected/national_weighted_compare.csv"),
              c("survey"))
