# Brant's (1990) test of proportional odds, recomputed in R from the published algorithm with
# stats::glm fits (the brant package is not in Debian and CRAN is not reachable here; this is
# written from the paper's definition, not from that package's code):
#
#   1. for each split c_1 < ... < c_M of the ordered outcome, the binary logit
#      P(y > c_m) = logistic(a_m + x b_m), fitted by glm (binomial, logit link) on its own;
#   2. the joint covariance of the stacked estimates (a_m, b_m): the diagonal blocks are each
#      fit's inverse information (X' W_m X)^-1; for m < l (y > c_l implies y > c_m)
#        Cov(m, l) = (X' W_m X)^-1 X' W_ml X (X' W_l X)^-1,
#        W_m = diag(pi_m (1 - pi_m)),  W_ml = diag(pi_l (1 - pi_m)),  pi_m the fitted P(y > c_m);
#   3. the Wald statistic of the (M - 1) K contrasts b_1 - b_m (m = 2..M) of the K slopes,
#      chi-squared on (M - 1) K df (the omnibus test), and for each slope k alone its M - 1
#      contrasts, on M - 1 df (the per-term test of the brant package's default output).
#
# Splits ("splits" column of the output):
#   all       every split of the outcome's levels: the brant package's (and car::poTest's) test
#             of the model as given;
#   quartiles the splits likertflow/ordinal.py uses: those nearest the outcome's quartiles,
#             deduplicated, with at least 10 respondents on each side; the same test of the
#             outcome grouped at those splits (R fits the same binary logits).
# A split whose binary fit is separated (glm warns that fitted probabilities are 0 or 1, or does
# not converge) leaves the test undefined: its rows say so in "status" and have no numbers.
#
# R's brant package (0.3) and car::poTest (3.1-1) fill the covariance below the diagonal with
# the block above it, not its transpose; a covariance matrix is symmetric, so this script uses the
# transpose ("statistic"), and shows the packages' arithmetic beside it ("untransposed_statistic":
# the same omnibus statistic, the per-term ones are unaffected). When the car package is installed,
# car::poTest (J. Fox's Brant test for MASS::polr) is run on polr of the grouped outcome as a
# second reference ("car_statistic"; glm's default tolerance, and its vcov(), whose weights are
# one IRLS step old: about 1e-7 relative).
#
# Data: one row per respondent: dataset, y, group, covariates (tests/r/reference_data.py); a
# covariate named linear_* is one linear term, any other is categorical with its lowest value as
# reference; a covariate blank throughout a data set is not in its model.
# Usage (from the repository root):
#   Rscript tests/r/brant.R tests/r/data/brant_data.csv tests/expected/brant_reference.csv
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], check.names = FALSE)
MIN_PER_SIDE <- 10
CONTROL <- glm.control(epsilon = 1e-14, maxit = 100)

quartile_splits <- function(level_counts) {
  below <- cumsum(level_counts)[-length(level_counts)]
  total <- sum(level_counts)
  nearest <- sapply(c(0.25, 0.5, 0.75), function(q) which.min(abs(below - q * total)))
  splits <- sort(unique(nearest))
  splits[pmin(below[splits], total - below[splits]) >= MIN_PER_SIDE]
}

binary_fit <- function(above, frame, formula) {
  status <- "ok"
  fit <- withCallingHandlers(
    glm(formula, family = binomial(), data = cbind(frame, above = above), control = CONTROL),
    warning = function(w) {
      status <<- conditionMessage(w)
      invokeRestart("muffleWarning")
    }
  )
  if (!fit$converged && status == "ok") status <- "glm did not converge"
  list(fit = fit, status = status)
}

brant_test <- function(frame, formula, level, splits) {
  X <- model.matrix(formula[-2], frame)  # the right-hand side
  K <- ncol(X) - 1
  M <- length(splits)
  fits <- lapply(splits, function(s) binary_fit(as.numeric(level > s), frame, formula))
  problems <- unique(sapply(fits, function(f) f$status))
  problems <- problems[problems != "ok"]
  if (length(problems)) return(list(status = paste(problems, collapse = "; ")))
  coefs <- lapply(fits, function(f) coef(f$fit))
  pi <- sapply(fits, function(f) fitted(f$fit))
  inverse_info <- lapply(seq_len(M), function(m) solve(crossprod(X, X * (pi[, m] * (1 - pi[, m])))))
  size <- M * (K + 1)
  V <- matrix(0, size, size)
  copied <- V  # the blocks below the diagonal not transposed, as brant 0.3 and car::poTest do
  block <- function(m) (m - 1) * (K + 1) + seq_len(K + 1)
  for (m in seq_len(M)) {
    # (X' W_m X)^-1 at the estimates: vcov() of the glm is this at the IRLS weights of the step
    # before the last, 4e-8 relative away on these data (which would be all the difference)
    V[block(m), block(m)] <- inverse_info[[m]]
    if (m < M) for (l in (m + 1):M) {
      cross <- inverse_info[[m]] %*% crossprod(X, X * (pi[, l] * (1 - pi[, m]))) %*%
        inverse_info[[l]]
      V[block(m), block(l)] <- copied[block(m), block(l)] <- cross
      V[block(l), block(m)] <- t(cross)
      copied[block(l), block(m)] <- cross
    }
    copied[block(m), block(m)] <- V[block(m), block(m)]
  }
  stacked <- unlist(coefs)
  wald <- function(slopes, V) {
    # rows: slope k at split 1 minus slope k at split m, m = 2..M, for each chosen slope k
    rows <- list()
    for (m in 2:M) for (k in slopes) {
      row <- numeric(size)
      row[block(1)[k + 1]] <- 1
      row[block(m)[k + 1]] <- -1
      rows[[length(rows) + 1]] <- row
    }
    D <- do.call(rbind, rows)
    d <- D %*% stacked
    statistic <- drop(t(d) %*% solve(D %*% V %*% t(D), d))
    c(statistic = statistic, df = nrow(D), p = pchisq(statistic, nrow(D), lower.tail = FALSE))
  }
  tests <- rbind(wald(seq_len(K), V), t(sapply(seq_len(K), function(k) wald(k, V))))
  untransposed <- c(wald(seq_len(K), copied)[["statistic"]],
                    sapply(seq_len(K), function(k) wald(k, copied)[["statistic"]]))
  tests <- cbind(tests, untransposed = untransposed)
  list(status = "ok", terms = c("(omnibus)", colnames(X)[-1]), tests = tests)
}

car_statistics <- function(frame, terms, level, splits) {
  if (!requireNamespace("car", quietly = TRUE) || !requireNamespace("MASS", quietly = TRUE)) {
    return(rep(NA_real_, length(terms) + 1))
  }
  grouped <- frame
  grouped$y <- factor(findInterval(level, splits + 0.5), ordered = TRUE)
  fit <- MASS::polr(as.formula(paste("y ~", paste(terms, collapse = " + "))), data = grouped,
                    method = "logistic", Hess = TRUE)
  test <- suppressWarnings(car::poTest(fit))
  c(test$chisq, test$chisq.p)
}

out <- list()
for (name in unique(data$dataset)) {
  d <- data[data$dataset == name, ]
  covariates <- setdiff(names(d), c("dataset", "y"))
  covariates <- covariates[!sapply(d[covariates], function(v) all(is.na(v)))]
  frame <- d[covariates]
  for (v in covariates) {
    if (!startsWith(v, "linear_")) frame[[v]] <- factor(frame[[v]], levels = sort(unique(frame[[v]])))
  }
  formula <- as.formula(paste("above ~", paste(covariates, collapse = " + ")))
  level <- match(d$y, sort(unique(d$y)))  # 1 .. J
  counts <- tabulate(level)
  rules <- list(all = seq_len(length(counts) - 1), quartiles = quartile_splits(counts))
  for (rule in names(rules)) {
    splits <- rules[[rule]]
    result <- brant_test(frame, formula, level, splits)
    key <- paste(name, rule)
    cuts <- paste(sort(unique(d$y))[splits], collapse = ";")  # y > each of these
    if (result$status != "ok") {
      out[[key]] <- data.frame(dataset = name, splits = rule, above = cuts, term_index = NA,
                               term = NA, statistic = NA, df = NA, p = NA,
                               untransposed_statistic = NA, car_statistic = NA,
                               status = result$status)
      next
    }
    car <- car_statistics(frame, covariates, level, splits)
    out[[key]] <- data.frame(
      dataset = name, splits = rule, above = cuts, term_index = seq_along(result$terms) - 1,
      term = result$terms, statistic = sprintf("%.17g", result$tests[, "statistic"]),
      df = result$tests[, "df"], p = sprintf("%.17g", result$tests[, "p"]),
      untransposed_statistic = sprintf("%.17g", result$tests[, "untransposed"]),
      car_statistic = sprintf("%.17g", car), status = "ok"
    )
  }
}
result <- do.call(rbind, out)
result$car_statistic[result$car_statistic == "NA"] <- NA

script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
car_version <- if (requireNamespace("car", quietly = TRUE)) {
  paste("car", packageVersion("car"))
} else "car not installed"
header <- c(
  "# Brant's test recomputed in R from the published algorithm (see the script); read with comment='#'",
  paste("# made by:", paste(c("Rscript", script, args), collapse = " ")),
  sprintf("# %s; %s, MASS %s", R.version.string, car_version, packageVersion("MASS"))
)
writeLines(header, args[2])
text <- which(names(result) %in% c("dataset", "splits", "above", "term", "status"))
suppressWarnings(write.table(result, args[2], sep = ",", row.names = FALSE, quote = text,
                             append = TRUE, qmethod = "double", na = ""))
cat(sprintf("%s: %d rows of %d data sets\n", R.version.string, nrow(result), length(unique(data$dataset))))
