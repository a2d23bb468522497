# Expected values for tests/test_reliability_warnings.py, from R's psych package:
#   Rscript tests/data/low_alpha_two_items.R > tests/data/low_alpha_two_items.out
# Output, one number a line: for the three weakly related items a, b, c: raw alpha, average
# inter-item r, standardized alpha, item-rest r (r.drop) of a, b, c, alpha if deleted of a, b, c;
# then for the two items d, e: raw alpha, their Pearson r, average r, standardized alpha
# (the Spearman-Brown coefficient 2r / (1 + r)).
weak <- data.frame(
  a = c(3, 3, 4, 1, 3, 1, 3, 2, 1, 3, 4, 2),
  b = c(2, 3, 3, 4, 1, 1, 5, 5, 1, 1, 5, 2),
  c = c(4, 4, 3, 4, 1, 2, 1, 3, 1, 1, 2, 2)
)
w <- psych::alpha(weak, check.keys = FALSE, warnings = FALSE)
cat(sprintf("%.15g\n", w$total$raw_alpha))
cat(sprintf("%.15g\n", w$total$average_r))
cat(sprintf("%.15g\n", w$total$std.alpha))
cat(sprintf("%.15g\n", w$item.stats$r.drop))
cat(sprintf("%.15g\n", w$alpha.drop$raw_alpha))
pair <- data.frame(
  d = c(1, 2, 2, 3, 4, 5, 4, 3, 5, 1, 2, 4),
  e = c(2, 2, 3, 3, 5, 4, 4, 2, 5, 2, 1, 5)
)
p <- psych::alpha(pair, check.keys = FALSE, warnings = FALSE)
cat(sprintf("%.15g\n", p$total$raw_alpha))
cat(sprintf("%.15g\n", cor(pair$d, pair$e)))
cat(sprintf("%.15g\n", p$total$average_r))
cat(sprintf("%.15g\n", p$total$std.alpha))
