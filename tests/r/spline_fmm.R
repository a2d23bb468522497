# R's spline(method = "fmm") and approx(ties = mean), for tests/unit/test_design.py: the profile
# likelihood interval of svyciprop(method = "likelihood") interpolates its profile with them,
# and likertflow.design (_spline_points, _interpolate) computes them as R does.
#
# Usage (from the repository root):
#   Rscript tests/r/spline_fmm.R tests/expected/spline_fmm.csv
#
# Per point set (2, 3, 4 and 7 points, the last unsorted): spline(x, y) at its default
# 3 length(x) points over range(x), each grid point and value. Then approx(x, y, xout,
# ties = mean) on x with a tie, at points inside, on, between and outside range(x) (NA).
args <- commandArgs(trailingOnly = TRUE)
out_path <- args[1]
sets <- list(
  two = list(x = c(0.5, 2), y = c(1, 5)),
  three = list(x = c(-1, 0, 2.5), y = c(0.3, -0.2, 1.7)),
  four = list(x = c(0, 1, 3, 4), y = c(2, -1, 0.5, 3)),
  seven = list(x = c(3, 1, 0, -2, 5, 2, 4.5), y = c(0.5, -1, 2, 1, -0.5, 0.25, 3))
)
source("tests/r/common.R")
put <- function(what, term, value) {
  record(what = what, term = as.character(term), value = value)
}
for (name in names(sets)) {
  s <- spline(sets[[name]]$x, sets[[name]]$y, method = "fmm")
  put(name, paste("x", seq_along(s$x)), s$x)
  put(name, paste("y", seq_along(s$y)), s$y)
}
at <- c(0.5, 1, 1.5, 2, 3, 4, 4.5)
a <- approx(c(1, 2, 2, 4), c(1, 3, 5, 2), xout = at, ties = mean)
put("approx", at, a$y)

write_numbers(out_path, "Rscript tests/r/spline_fmm.R tests/expected/spline_fmm.csv")
