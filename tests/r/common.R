# What the R reference scripts of tests/r/ share (each runs from the repository root and sources
# this file): their numbers are collected one row at a time, printed to 17 significant digits so
# that a test can compare them to the last bit, and written under a header naming the command
# that made them and the versions of R and the packages used.
numbers <- list()

# One number, with the key columns (named arguments) that say what it is.
record <- function(..., value) {
  numbers[[length(numbers) + 1]] <<- data.frame(..., value = sprintf("%.17g", as.numeric(value)))
}

write_numbers <- function(out_path, command, packages = character()) {
  versions <- paste(c(sprintf("R %s", getRversion()),
                      vapply(packages, function(name) sprintf("%s %s", name, packageVersion(name)),
                             "")),
                    collapse = ", ")
  writeLines(c(paste("# made by:", command), paste("#", versions)), out_path)
  result <- do.call(rbind, numbers)
  suppressWarnings(write.table(result, out_path, append = TRUE, sep = ",", row.names = FALSE,
                               quote = TRUE))
  cat(sprintf("%s: %d numbers\n", versions, nrow(result)))
}
