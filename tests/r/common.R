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

# survey's rank test ``f`` (svyranktest.survey.design, or multiranktest for more than two
# groups) with its one line of mid-ranks changed to the weighted mid-rank of each answer
# category, (weight below the category) + (weight in the category) / 2: likertflow's documented
# deviation (tests/r/design_survey.R says why).
midrank <- function(f) {
  old_line <- "rankhat[ii] <- ave(cumsum(w[ii]) - w[ii]/2, factor(y[ii]))"
  new_line <- paste(
    "rankhat[ii] <- ave(cumsum(w[ii]), factor(y[ii]), FUN = max) -",
    "ave(w[ii], factor(y[ii]), FUN = sum)/2"
  )
  source <- deparse(f, width.cutoff = 500L)
  hit <- grep(old_line, source, fixed = TRUE)
  stopifnot(length(hit) == 1)
  source[hit] <- sub(old_line, new_line, source[hit], fixed = TRUE)
  patched <- eval(parse(text = source))
  environment(patched) <- asNamespace("survey")
  patched
}

# The numbers of one term of a svyolr ``fit``: its log odds ratio, standard error, t, the t's
# two-sided p on the fit's residual degrees of freedom, and those degrees of freedom.
olr_term <- function(fit, term) {
  b <- coef(fit)[[term]]
  se <- sqrt(diag(vcov(fit)))[[term]]
  c(b, se, b / se, 2 * pt(-abs(b / se), fit$df.residual), fit$df.residual)
}

# The raw exports of one questionnaire of a worked example (resources/examples/<example>/raw/
# <survey>/*.csv) stacked in file-name order: text as the files have it, blank cells NA.
read_exports <- function(example, survey) {
  files <- sort(list.files(file.path("resources/examples", example, "raw", survey),
                           full.names = TRUE))
  do.call(rbind, lapply(files, function(path)
    read.csv(path, check.names = FALSE, stringsAsFactors = FALSE, na.strings = "")))
}

# The worked examples' five-point agreement scale, its labels in code order (1 to 5).
agreement_labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                      "Strongly agree")
