# R's survey package on a small hand-made sample (tests/r/data/weighting_small.csv), for
# tests/unit/test_weighting_small.py: the differences of groups' weighted means
# (design_tests.mean_differences) and the weighted panel (weighting.weighted_pair_tables).
#
# Usage (from the repository root):
#   Rscript tests/r/weighting_small.R tests/expected/weighting_small.csv
#
# The sample: 26 responses in strata A (PSUs a1-a3 of 12), B (b1, b2 of 5) and C (c1 of 3: a
# single PSU), weights varying within PSUs; `analysed` 0 marks an excluded response (a domain,
# never a deleted row). Three designs of it:
# - clustered_fpc: svydesign(ids = ~psu, strata = ~stratum, weights = ~weight,
#   fpc = ~population, nest = TRUE), survey.lonely.psu = "adjust";
# - clustered_average: the same without fpc, survey.lonely.psu = "average";
# - unclustered: svydesign(ids = ~1, strata = ~stratum, weights = ~weight), "adjust".
# Per design:
# - means3, means2: summary(svyglm(score ~ factor(group), subset(design, analysed & group
#   and score present))) over the three groups, and over groups 1 and 2 only: each
#   coefficient, its SE, t, p, the Wald interval on df.residual, and df.residual;
# - panel: the people with an answer before and after (analysed) as a domain: svymean of the
#   answer before and after, svymean(~d, deff = TRUE) of d = after - before, svyttest(d ~ 0)
#   (t, df, p, interval); the before-by-after table as svymean(~factor(cell, levels = 1:25),
#   deff = TRUE) and svyciprop(method = "logit") of each cell present; degf of the domain.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
out_path <- args[1]

data <- read.csv("tests/r/data/weighting_small.csv", stringsAsFactors = FALSE)
data$g <- factor(data$group)
data$d <- data$after - data$before
data$cell <- factor((data$before - 1) * 5 + data$after, levels = 1:25)

source("tests/r/common.R")
put <- function(what, term, value) {
  record(what = what, term = as.character(term), value = value)
}

designs <- list(
  clustered_fpc = list(lonely = "adjust", make = function() svydesign(
    ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~population, nest = TRUE,
    data = data)),
  clustered_average = list(lonely = "average", make = function() svydesign(
    ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = data)),
  unclustered = list(lonely = "adjust", make = function() svydesign(
    ids = ~1, strata = ~stratum, weights = ~weight, data = data))
)

for (case in names(designs)) {
  options(survey.lonely.psu = designs[[case]]$lonely)
  design <- designs[[case]]$make()
  for (k in c(3, 2)) {
    domain <- subset(design, analysed == 1 & !is.na(group) & !is.na(score) & group <= k)
    domain$variables$g <- droplevels(domain$variables$g)
    fit <- svyglm(score ~ g, domain)
    s <- summary(fit)$coefficients
    terms <- grep("^g", rownames(s), value = TRUE)
    q <- qt(0.975, fit$df.residual)
    what <- paste0(case, "/means", k)
    put(what, paste(terms, "estimate"), s[terms, 1])
    put(what, paste(terms, "se"), s[terms, 2])
    put(what, paste(terms, "t"), s[terms, 3])
    put(what, paste(terms, "p"), s[terms, 4])
    put(what, paste(terms, "low"), s[terms, 1] - q * s[terms, 2])
    put(what, paste(terms, "high"), s[terms, 1] + q * s[terms, 2])
    put(what, "df", fit$df.residual)
  }
  pairs <- subset(design, analysed == 1 & !is.na(before) & !is.na(after))
  before <- svymean(~before, pairs)
  after <- svymean(~after, pairs)
  change <- svymean(~d, pairs, deff = TRUE)
  test <- svyttest(d ~ 0, pairs)
  what <- paste0(case, "/panel")
  put(what, c("n", "before", "after", "difference", "se", "deff", "t", "df", "p", "low", "high"),
      c(sum(weights(pairs, "sampling") > 0), coef(before), coef(after), coef(change),
        SE(change), deff(change), test$statistic, test$parameter, test$p.value, test$conf.int))
  m <- svymean(~cell, pairs, deff = TRUE)
  what <- paste0(case, "/table")
  put(what, paste("percent", 1:25), 100 * coef(m))
  put(what, paste("se", 1:25), 100 * SE(m))
  put(what, paste("deff", 1:25), deff(m))
  present <- table(pairs$variables$cell[weights(pairs, "sampling") > 0])
  for (cell in which(present > 0)) {
    pairs$variables$hit <- as.numeric(pairs$variables$cell) == cell
    ci <- svyciprop(~hit, pairs, method = "logit")
    put(what, paste("low", cell), 100 * confint(ci)[1])
    put(what, paste("high", cell), 100 * confint(ci)[2])
  }
  put(what, "df", degf(pairs))
}

write_numbers(out_path,
              "Rscript tests/r/weighting_small.R tests/expected/weighting_small.csv", c("survey"))
