# Design-based estimates, tests and models of R's survey package on the synthetic samples of
# tests/data/design_*.csv (written by tests/r/design_data.py), for tests/unit/test_design.py.
#
# Usage (from the repository root):
#   Rscript tests/r/design_survey.R tests/expected/design_survey.csv
#
# Each sample is analysed without and with a finite population correction; the clustered one,
# whose stratum D has a single PSU, under every survey.lonely.psu rule ("fail" must stop), and
# with D sampled completely (fpc "census_D": no variance from D, so "fail" does not stop). Per
# domain (a subset() of the full design, the variable's missing answers left out as
# svymean(na.rm = TRUE) does): svymean of factor(q1) with both design effects, svyciprop of
# "agree" (q1 >= 4) and of the rare category q1 == 1 by every method (the likelihood one also with
# its glm run to convergence, rows *_likelihood_converged), svymean of q1's codes and of the
# theme score (its interval also on degf, rows mean_t),
# degf; on the finished respondents: svyranktest of q1 by sex (2 groups; also its van der Waerden
# and median scores) and by age band (3),
# and svyolr(factor(q1) ~ sex + age).
#
# svyranktest is run twice: as survey has it, and with its one line of mid-ranks changed from
# the unweighted average, over tied responses, of cumsum(w) - w/2 in row order (which depends on
# the order of the rows when weights differ within a tie) to the weighted mid-rank of the
# category, (weight below the category) + (weight in the category) / 2: Lumley & Scott's
# estimated population mid-rank, the one computable from totals (rows *_midrank). The two agree
# when weights are equal within each answer category (the unweighted sample, rows *_survey).
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
out_path <- args[1]

source("tests/r/common.R")
ranktest2_midrank <- midrank(getFromNamespace("svyranktest.survey.design", "survey"))
ranktest3_midrank <- midrank(getFromNamespace("multiranktest", "survey"))
ranktest3_survey <- getFromNamespace("multiranktest", "survey")

put <- function(sample, fpc, lonely, domain, statistic, term, value) {
  record(sample = sample, fpc = fpc, lonely = lonely, domain = domain, statistic = statistic,
         term = as.character(term), value = value)
}

domains <- list(
  all = function(d) rep(TRUE, nrow(d)),
  finished = function(d) d$finished,
  finished_F = function(d) d$finished & d$sex == "F",
  old = function(d) d$age == "65+",
  some_psus = function(d) if (is.null(d$psu)) d$stratum %in% c("North", "South") else
    d$psu %in% c("A1", "B2", "C1", "C2", "D1")
)
methods <- c("logit", "likelihood", "asin", "beta", "mean", "xlogit")

analyse <- function(sample, data, fpc, lonely) {
  options(survey.lonely.psu = lonely)
  clustered <- !is.null(data$psu)
  design <- svydesign(
    ids = if (clustered) ~psu else ~1, strata = ~stratum, weights = ~weight, data = data,
    fpc = if (fpc == "none") NULL else ~population, nest = TRUE
  )
  put1 <- function(...) put(sample, fpc, lonely, ...)
  for (name in names(domains)) {
    design$variables$member <- domains[[name]](data)
    q1 <- subset(design, member & !is.na(q1))
    put1(name, "df", "q1", degf(q1))
    put1(name, "n", "q1", nrow(q1))
    m <- svymean(~factor(q1), q1, deff = TRUE)
    m_wr <- svymean(~factor(q1), q1, deff = "replace")
    put1(name, "prop_estimate", 1:5, coef(m))
    put1(name, "prop_se", 1:5, SE(m))
    put1(name, "prop_deff", 1:5, deff(m))
    put1(name, "prop_deff_replace", 1:5, deff(m_wr))
    for (method in methods) {
      agree <- suppressWarnings(svyciprop(~I(q1 >= 4), q1, method = method))
      put1(name, paste0("agree_", method), c("estimate", "low", "high"),
           c(coef(agree), confint(agree)))
      rare <- suppressWarnings(svyciprop(~I(q1 == 1), q1, method = method))
      put1(name, paste0("rare_", method), c("estimate", "low", "high"),
           c(coef(rare), confint(rare)))
    }
    # svyciprop's likelihood interval with its glm run to convergence: R's glm reports the
    # naive variance (the scale of the profile's cut) at its last-but-one iterate, a 1e-5 effect
    for (what in c("agree", "rare")) {
      fit <- svyglm(if (what == "agree") I(q1 >= 4) ~ 1 else I(q1 == 1) ~ 1, q1,
                    family = quasibinomial, control = glm.control(epsilon = 1e-15, maxit = 100))
      put1(name, paste0(what, "_likelihood_converged"), c("low", "high"),
           plogis(suppressMessages(confint(fit, 1, method = "likelihood", ddf = degf(q1)))))
    }
    item <- svymean(~q1, q1, deff = TRUE)  # the mean of the item's codes
    put1(name, "item_mean", c("estimate", "se", "deff"), c(coef(item), SE(item), deff(item)))
    score <- subset(design, member & !is.na(score))
    s <- svymean(~score, score, deff = TRUE)
    s_wr <- svymean(~score, score, deff = "replace")
    put1(name, "mean", c("estimate", "se", "deff", "deff_replace", "low", "high", "df"),
         c(coef(s), SE(s), deff(s), deff(s_wr), confint(s), degf(score)))
    put1(name, "mean_t", c("low", "high"), confint(s, df = degf(score)))
  }
  finished <- subset(design, finished & !is.na(q1))
  for (version in c("midrank", "survey")) {
    two <- if (version == "midrank") ranktest2_midrank(q1 ~ sex, finished) else
      svyranktest(q1 ~ sex, finished)
    put1("finished", paste0("rank2_", version), c("t", "df", "p", "estimate"),
         c(two$statistic, two$parameter, two$p.value, two$estimate))
    three <- if (version == "midrank") ranktest3_midrank(q1 ~ age, finished) else
      ranktest3_survey(q1 ~ age, finished)
    # multiranktest returns the chi-squared in $parameter and its df in $statistic
    put1("finished", paste0("rank3_", version), c("chisq", "ndf", "ddf", "p"),
         c(three$parameter, three$statistic, three$ddf, three$p.value))
  }
  for (score in c("vanderWaerden", "median")) {
    other <- ranktest2_midrank(q1 ~ sex, finished, test = score)
    put1("finished", paste0("rank2_", score), c("t", "p"), c(other$statistic, other$p.value))
  }
  fit <- svyolr(factor(q1) ~ sex + age, finished,
                control = list(reltol = 1e-15, maxit = 10000, ndeps = rep(1e-5, 7)))
  put1("finished", "olr_coef", names(c(coef(fit))), c(coef(fit)))
  put1("finished", "olr_se", names(c(coef(fit))), sqrt(diag(vcov(fit))))
  put1("finished", "olr_df", "df", fit$df.residual)
}

read_sample <- function(path) {
  data <- read.csv(path, stringsAsFactors = FALSE)
  data$finished <- data$finished == "True"  # as pandas writes booleans
  data
}
national <- read_sample("tests/data/design_national.csv")
clustered <- read_sample("tests/data/design_clustered.csv")
unweighted <- clustered
unweighted$weight <- 1
for (fpc in c("none", "fpc")) {
  analyse("national", national, fpc, "fail")
  for (lonely in c("adjust", "average", "certainty", "remove")) {
    analyse("clustered", clustered, fpc, lonely)
  }
  failed <- tryCatch({
    analyse("clustered", clustered, fpc, "fail")
    0
  }, error = function(e) 1)
  put("clustered", fpc, "fail", "all", "stops", "error", failed)
}
analyse("unweighted", unweighted, "none", "adjust")
# stratum D sampled completely (its one PSU of one): no variance, and no lonely PSU to fail on
census_d <- clustered
census_d$population[census_d$stratum == "D"] <- 1
analyse("clustered", census_d, "census_D", "fail")
write_numbers(out_path,
              "Rscript tests/r/design_survey.R tests/expected/design_survey.csv", c("survey"))
