# Independent fit of the proportional-odds models of results/tables/ordinal_models.csv with
# MASS::polr (logit link). Usage: see tests/r/model_frames.py.
# The outcome's ordered levels are its distinct values; group and covariates are factors with the
# lowest value as reference (treatment contrasts), as in likertflow/ordinal.py.
# Besides estimates and standard errors: each odds ratio's Wald interval at two levels,
# exp(confint.default()) = exp(b -+ qnorm((1 + level) / 2) se) (or_ci_low_95, or_ci_high_95,
# or_ci_low_90, or_ci_high_90: the shipped level and one where a wrong quantile shows), and the
# two-sided Wald p = 2 P(Z > |b / se|). optim's reltol 1e-16 runs BFGS until it cannot improve:
# estimates 5e-8 from the maximum (reltol 1e-12 left them 8e-6 away).
suppressPackageStartupMessages(library(MASS))
args <- commandArgs(trailingOnly = TRUE)
frames <- read.csv(args[1], check.names = FALSE)
LEVELS <- c(0.95, 0.9)
fixed <- c("comparison", "outcome", "y", "group")
out <- list()
for (key in unique(paste(frames$comparison, frames$outcome, sep = "\t"))) {
  parts <- strsplit(key, "\t")[[1]]
  d <- frames[frames$comparison == parts[1] & frames$outcome == parts[2], ]
  covariates <- setdiff(names(d), fixed)
  covariates <- covariates[!sapply(d[covariates], function(v) all(is.na(v)))]
  d$y <- factor(d$y, levels = sort(unique(d$y)), ordered = TRUE)
  for (v in c("group", covariates)) d[[v]] <- factor(d[[v]], levels = sort(unique(d[[v]])))
  formula <- as.formula(paste("y ~", paste(c("group", covariates), collapse = " + ")))
  fit <- polr(formula, data = d, method = "logistic", Hess = TRUE,
              control = list(reltol = 1e-16, maxit = 10000))
  s <- coef(summary(fit))
  slopes <- names(coef(fit))
  intervals <- lapply(LEVELS, function(level) exp(confint.default(fit, slopes, level = level)))
  out[[key]] <- data.frame(
    comparison = parts[1], outcome = parts[2], term_index = seq_along(slopes),
    r_term = slopes, estimate = s[slopes, "Value"], std_error = s[slopes, "Std. Error"],
    n = nrow(d),
    or_ci_low_95 = intervals[[1]][, 1], or_ci_high_95 = intervals[[1]][, 2],
    or_ci_low_90 = intervals[[2]][, 1], or_ci_high_90 = intervals[[2]][, 2],
    p = 2 * pnorm(-abs(s[slopes, "t value"]))
  )
}
result <- do.call(rbind, out)
write.csv(result, args[2], row.names = FALSE, quote = TRUE)
cat(sprintf("R %s, MASS %s: %d terms\n", getRversion(), packageVersion("MASS"), nrow(result)))
