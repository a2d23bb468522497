# Dunn's (1964) pairwise test after a Kruskal-Wallis test, recomputed in R from its published
# definition, with the tie correction that dunn.test (Dinno) and FSA::dunnTest (Ogle) apply (neither
# package is in Debian; CRAN is not reachable here). Only base R and stats are used.
#
# For N values in k groups, ranked together with midranks for ties, group i with n_i values and
# mean rank R_i, and t_s the sizes of the groups of tied values:
#   sigma^2 = N (N + 1) / 12 - sum_s (t_s^3 - t_s) / (12 (N - 1))
#   z_ij    = (R_i - R_j) / sqrt(sigma^2 (1 / n_i + 1 / n_j))      (> 0: group i ranks higher)
#   p_ij    = 2 P(Z > |z_ij|)                                       (two-sided normal)
# and the p of each data set's k (k - 1) / 2 pairs adjusted by stats::p.adjust with "holm" and
# "BH" (the workflow's p_adjust options holm and fdr_bh).
#
# Usage (from the repository root; the data from tests/r/reference_data.py):
#   Rscript tests/r/dunn.R tests/r/data/dunn_data.csv tests/expected/dunn_reference.csv
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], check.names = FALSE, stringsAsFactors = FALSE)

dunn <- function(value, position, label) {
  ranks <- rank(value, ties.method = "average")
  n_total <- length(ranks)
  tie_sizes <- as.numeric(table(ranks))  # equal midranks exactly when the values are equal
  sigma2 <- n_total * (n_total + 1) / 12 - sum(tie_sizes^3 - tie_sizes) / (12 * (n_total - 1))
  groups <- sort(unique(position))
  n <- sapply(groups, function(g) sum(position == g))
  mean_rank <- sapply(groups, function(g) sum(ranks[position == g]) / sum(position == g))
  names_of <- sapply(groups, function(g) label[position == g][1])
  pairs <- combn(length(groups), 2)
  i <- pairs[1, ]
  j <- pairs[2, ]
  z <- (mean_rank[i] - mean_rank[j]) / sqrt(sigma2 * (1 / n[i] + 1 / n[j]))
  p <- 2 * pnorm(-abs(z))
  data.frame(
    group_a = names_of[i], group_b = names_of[j], n_a = n[i], n_b = n[j],
    mean_rank_a = mean_rank[i], mean_rank_b = mean_rank[j], z = z, p = p,
    p_holm = p.adjust(p, "holm"), p_bh = p.adjust(p, "BH"),
    stringsAsFactors = FALSE
  )
}

out <- list()
for (name in unique(data$dataset)) {
  d <- data[data$dataset == name, ]
  out[[name]] <- cbind(dataset = name, dunn(d$value, d$group_position, d$group))
}
result <- do.call(rbind, out)
numbers <- c("mean_rank_a", "mean_rank_b", "z", "p", "p_holm", "p_bh")
for (column in numbers) result[[column]] <- sprintf("%.17g", result[[column]])

script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
header <- c(
  "# Dunn's test recomputed in R from its definition (see the script); read with comment='#'",
  paste("# made by:", paste(c("Rscript", script, args), collapse = " ")),
  sprintf("# %s", R.version.string)
)
writeLines(header, args[2])
text <- which(!names(result) %in% c(numbers, "n_a", "n_b"))
suppressWarnings(write.table(result, args[2], sep = ",", row.names = FALSE, quote = text,
                             append = TRUE, qmethod = "double"))
cat(sprintf("%s: %d pairs of %d data sets\n", R.version.string, nrow(result), length(out)))
