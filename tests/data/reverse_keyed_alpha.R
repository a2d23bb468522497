x <- data.frame(
  a = c(1, 2, 3, 4, 5, 2, 3, 4, 5, 1, 4, 2),
  b = c(2, 2, 3, 4, 4, 1, 3, 5, 5, 1, 4, 3),
  c = c(5, 4, 3, 2, 1, 4, 3, 1, 2, 5, 1, 4)
)
r <- psych::alpha(x, keys = c("c"), warnings = FALSE)
cat(sprintf("%.15g\n", r$total$raw_alpha))
cat(sprintf("%.15g\n", r$item.stats$r.drop))
cat(sprintf("%.15g\n", r$alpha.drop$raw_alpha))
u <- psych::alpha(x, check.keys = FALSE, warnings = FALSE)
cat(sprintf("%.15g\n", u$total$raw_alpha))
cat(sprintf("%.15g\n", u$item.stats$r.drop))
