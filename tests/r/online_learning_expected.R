# Expected numbers of the "Learning online" worked example, computed in R from the raw exports,
# independently of likertflow (the instrument is written out again below, not read from the
# codebook). Made with:
#   Rscript tests/r/online_learning_expected.R > tests/data/online_learning_expected.csv
# (R 4 with psych and foreign; run from the repository root). Columns: what, survey, name, value.
# The exports are read as their platforms wrote them: undergraduates' Qualtrics CSVs (column
# texts in header row 2, rows 1 and 3 skipped), staff's SPSS .sav (foreign::read.spss, value
# labels applied, columns named by their variable labels), postgraduates' plain CSVs.
suppressPackageStartupMessages(library(psych))

raw <- "resources/examples/online_learning/raw"
surveys <- c("undergraduates", "postgraduates", "staff")
agree7 <- c("Strongly disagree", "Disagree", "Somewhat disagree", "Neither agree nor disagree",
            "Somewhat agree", "Agree", "Strongly agree")
freq5 <- c("Never", "Rarely", "Sometimes", "Often", "Always")
# id, matrix stem, wording, theme, reverse-keyed
st <- data.frame(rbind(
  c("own_pace", "Online learning", "lets students study at their own pace", "flexibility", FALSE),
  c("fits_commitments", "Online learning", "fits around students' work and family commitments", "flexibility", FALSE),
  c("fixed_timetable", "Online learning", "ties students to a fixed timetable", "flexibility", TRUE),
  c("join_discussion", "Online learning", "makes it easy for students to join in discussions", "interaction", FALSE),
  c("timely_feedback", "Online learning", "gives students timely feedback on their work", "interaction", FALSE),
  c("recordings_help", "Online learning", "helps students revise from recorded sessions", "", FALSE),
  c("cut_off_peers", "Online learning", "leaves students feeling cut off from other students", "isolation", FALSE),
  c("hard_to_get_help", "Online learning", "makes it hard for students to get help when they need it", "isolation", FALSE),
  c("part_of_community", "Online learning", "helps students feel part of a learning community", "isolation", TRUE),
  c("screen_tiredness", "Online learning", "leaves students tired from long hours at a screen", "screen_fatigue", FALSE),
  c("hard_to_concentrate", "Online learning", "makes it hard for students to concentrate", "screen_fatigue", FALSE),
  c("distractions_at_home", "Online learning", "exposes students to distractions at home", "screen_fatigue", FALSE),
  c("camera_on", "How often do students on online courses", "join live sessions with their camera on", "active_participation", FALSE),
  c("post_in_forums", "How often do students on online courses", "post in the course forums", "active_participation", FALSE),
  c("study_groups", "How often do students on online courses", "meet other students in online study groups", "active_participation", FALSE),
  c("watch_recordings", "How often do students on online courses", "watch recorded sessions instead of live ones", "", FALSE)
), stringsAsFactors = FALSE)
names(st) <- c("id", "stem", "wording", "theme", "reverse")
st$header <- paste(st$stem, "-", st$wording)
st$scale <- ifelse(st$stem == "Online learning", "agree7", "freq5")
themes <- c("flexibility", "interaction", "isolation", "screen_fatigue", "active_participation")
min_answered <- c(flexibility = 3, interaction = 2, isolation = 3, screen_fatigue = 2, active_participation = 3)
recommend <- c(undergraduates = "I would choose a course with online teaching again",
               postgraduates = "I would choose a course with online teaching again",
               staff = "I would choose to teach a course online again")
out <- data.frame(what = character(), survey = character(), name = character(), value = character())
emit <- function(what, survey, name, value) {
  out[nrow(out) + 1, ] <<- list(what, survey, name, format(value, digits = 15))
}

read_plain <- function(file) {
  read.csv(file, colClasses = "character", check.names = FALSE, na.strings = "",
           encoding = "UTF-8")
}
read_qualtrics <- function(file) {
  texts <- read.csv(file, header = FALSE, skip = 1, nrows = 1, colClasses = "character",
                    encoding = "UTF-8")
  d <- read.csv(file, header = FALSE, skip = 3, colClasses = "character", na.strings = "",
                encoding = "UTF-8")
  names(d) <- unlist(texts)
  d
}
read_sav <- function(file) {
  d <- suppressMessages(foreign::read.spss(file, to.data.frame = TRUE, use.value.labels = TRUE,
                                           reencode = "UTF-8"))
  names(d) <- attr(d, "variable.labels")
  d[] <- lapply(d, function(x) trimws(as.character(x)))  # factors to their labels, ages to text
  d
}
readers <- list(undergraduates = read_qualtrics, postgraduates = read_plain, staff = read_sav)

cohort <- function(survey) {
  files <- sort(list.files(file.path(raw, survey), pattern = "\\.(csv|sav)$", full.names = TRUE))
  d <- do.call(rbind, lapply(files, readers[[survey]]))
  age <- as.numeric(d[["How old are you? (years)"]])
  under18 <- !is.na(age) & age < 18
  required <- setdiff(names(d), c("What is your gender?", "Did the university lend you a computer?"))
  blank <- rowSums(is.na(d[required])) > 0
  if (survey == "undergraduates") {
    asked <- d[["Do you have a computer of your own to study on?"]] %in% "No"
    blank <- blank | (asked & is.na(d[["Did the university lend you a computer?"]]))
  }
  emit("flow", survey, "returned", nrow(d))
  emit("flow", survey, "excluded_under_18", sum(under18))
  emit("flow", survey, "excluded_item_nonresponse", sum(!under18 & blank))
  d <- d[!under18 & !blank, ]
  emit("flow", survey, "analysed", nrow(d))
  scored <- data.frame(row.names = seq_len(nrow(d)))
  for (i in seq_len(nrow(st))) {
    levels <- if (st$scale[i] == "agree7") agree7 else freq5
    code <- match(d[[st$header[i]]], levels)  # "Don't know" -> NA
    if (st$reverse[i] == "TRUE") code <- length(levels) + 1 - code
    scored[[st$id[i]]] <- code
  }
  for (theme in themes) {
    items <- scored[st$id[st$theme == theme]]
    complete <- items[complete.cases(items), ]
    emit("alpha", survey, theme, psych::alpha(complete, check.keys = FALSE, warnings = FALSE)$total$raw_alpha)
    answered <- rowSums(!is.na(items))
    scored[[theme]] <- ifelse(answered >= min_answered[[theme]], rowMeans(items, na.rm = TRUE), NA)
  }
  scored$recommend <- match(d[[recommend[[survey]]]], agree7)
  for (q in c("What is your gender?", "Do you study full-time or part-time?",
              "Which year of your degree are you in?", "What is your role in teaching?")) {
    if (q %in% names(d)) scored[[q]] <- d[[q]]
  }
  scored
}
data <- setNames(lapply(surveys, cohort), surveys)

test <- function(name, groups, outcomes) {
  for (outcome in outcomes) {
    values <- lapply(groups, function(g) g[[outcome]][!is.na(g[[outcome]])])
    if (length(values) == 2) {
      r <- wilcox.test(values[[1]], values[[2]], exact = FALSE, correct = TRUE)
    } else {
      r <- kruskal.test(values)
    }
    emit("statistic", name, outcome, unname(r$statistic))
    emit("p", name, outcome, r$p.value)
  }
}
by_answer <- function(d, question, labels) lapply(labels, function(l) d[d[[question]] %in% l, ])
test("students_and_staff", data, c(themes, "recommend"))
test("undergraduates_vs_postgraduates", data[c("undergraduates", "postgraduates")], themes)
test("undergraduates_by_year", by_answer(data$undergraduates, "Which year of your degree are you in?",
     c("First year", "Second year", "Third year", "Fourth year or later")), themes)
test("undergraduates_by_mode", by_answer(data$undergraduates, "Do you study full-time or part-time?",
     c("Full-time", "Part-time")), themes)
test("postgraduates_by_gender", by_answer(data$postgraduates, "What is your gender?",
     c("Woman", "Man", "Non-binary")), c("flexibility", "isolation"))
test("staff_by_role", by_answer(data$staff, "What is your role in teaching?",
     c("Lecturer", "Teaching assistant", "Learning technologist")), c("flexibility", "interaction", "isolation"))
write.csv(out, stdout(), row.names = FALSE, quote = FALSE)
