# Independent fit of the proportional-odds models of results/tables/ordinal_models.csv with
# MASS::polr (logit link). Usage: see tests/r/model_frames.py.
# The outcome's ordered levels are its distinct values; group and covariates are factors with the
# lowest value as reference (treatment contrasts), as in likertflow/ordinal.py.
suppressPackageStartupMessages(library(MASS))
args <- commandArgs(trailingOnly = TRUE)
frames <- read.csv(args[1], check.names = FALSE)
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
              control = list(reltol = 1e-12, maxit = 10000))
  s <- coef(summary(fit))
  slopes <- names(coef(fit))
  out[[key]] <- data.frame(
    comparison = parts[1], outcome = parts[2], term_index = seq_along(slopes),
    r_term = slopes, estimate = s[slopes, "Value"], std_error = s[slopes, "Std. Error"],
    n = nrow(d)
  )
}
result <- do.call(rbind, out)
write.csv(result, args[2], row.names = FALSE, quote = TRUE)
cat(sprintf("R %s, MASS %s: %d terms\n", getRversion(), packageVersion("MASS"), nrow(result)))
