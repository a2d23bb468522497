#!/usr/bin/env bash
# Mutation testing of the likertflow library with mutmut (3.8): how many small deliberate bugs
# the fast tests (pytest -m "not slow") catch.
#
#   benchmarks/mutation.sh [module ...]      # default: the statistics, ingest, cleaning and
#                                            # agreement modules; "all" for the whole library
#
# Environment: MUTATION_DIR (the scratch copy), MUTATION_JOBS (processes, default 2) and
# MUTATION_TESTS (the test paths mutmut runs, space-separated, default "tests"; e.g.
# "tests/unit/test_ordinal.py" for a large module whose other tests take long: a narrower
# selection can only kill fewer mutants, so its score is a lower bound of the full one) and
# MUTATION_NAMES (mutant name globs, space-separated, e.g.
# "likertflow.agreement_plot.x_plot_agreement__mutmut_[3-8]??": only those are run, so that a
# large module's run can be finished in parts; its summary then counts only those).
#
# mutmut names a mutant by the module path of its file and only activates it when the running
# module has that name; the tests import `likertflow.<module>`, so the library is staged at the
# top of a scratch copy of the repository (workflow/scripts/likertflow -> likertflow/) and mutmut
# runs there. Results: mutants/ in the scratch directory (printed at the end), summarised as
# killed / total per module. The score is recorded in benchmarks/README.md.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stage=${MUTATION_DIR:-/tmp/likertflow-mutation}
modules=("$@")
if ((${#modules[@]} == 0)); then
    modules=(rank_stats resampling multiplicity dunn rank_tests comparisons grouping agreement
        cleaning ingest)
fi

rm -rf "$stage"
mkdir -p "$stage"
cp -r "$repo"/{Snakefile,config,resources,profiles,tests,tools,docs,.ci,pyproject.toml,README.md} \
    "$repo"/{requirements,requirements-dev,requirements-slurm,constraints}.txt "$stage/"
mkdir -p "$stage/workflow"
cp -r "$repo"/workflow/{rules,schemas,report} "$stage/workflow/"
cp -r "$repo/workflow/scripts" "$stage/workflow/scripts"
mv "$stage/workflow/scripts/likertflow" "$stage/likertflow"
# the workflow copies that some fast tests dry-run keep an unmutated library
ln -s ../../likertflow "$stage/workflow/scripts/likertflow"
# the library finds workflow/schemas/ two folders above its own (schemas.SCHEMAS, preflight):
# from mutants/likertflow/ that is the stage's top
ln -s workflow/schemas "$stage/schemas"
# tests import the (mutated) library from the top of the stage, never from workflow/scripts
sed -i 's|^pythonpath = .*|pythonpath = [".", "tools"]|' "$stage/pyproject.toml"
find "$stage" -name __pycache__ -prune -exec rm -rf {} +

if [[ ${modules[0]} == all ]]; then
    only='["likertflow/*.py", "likertflow/platforms/*.py"]'
else
    only="[$(printf '"likertflow/%s.py",' "${modules[@]}")]"
fi
read -ra test_paths <<<"${MUTATION_TESTS:-tests}"
selection="[$(printf '"%s",' "${test_paths[@]}")]"
cat >>"$stage/pyproject.toml" <<TOML

[tool.mutmut]
source_paths = ["likertflow"]
only_mutate = $only
also_copy = ["config", "resources", "profiles", "workflow", "Snakefile", "docs", ".ci", "README.md",
    "requirements.txt", "requirements-dev.txt", "requirements-slurm.txt", "constraints.txt"]
pytest_add_cli_args = ["-m", "not slow", "-p", "no:cacheprovider", "-x", "-q"]
pytest_add_cli_args_test_selection = $selection
TOML

cd "$stage"
read -ra names <<<"${MUTATION_NAMES:-}"
"$repo/.venv/bin/mutmut" run --max-children "${MUTATION_JOBS:-2}" "${names[@]}" || true
"$repo/.venv/bin/mutmut" export-cicd-stats >/dev/null
"$repo/.venv/bin/python" - <<'PY'
import json
from collections import Counter

stats = json.load(open("mutants/mutmut-cicd-stats.json"))
print({k: v for k, v in stats.items() if isinstance(v, int)})
PY
"$repo/.venv/bin/mutmut" results 2>/dev/null | awk -F: '{print $1}' | sed 's/\.x_.*//; s/\.xǁ.*//' |
    sort | uniq -c | sort -rn || true
echo "mutants and results in $stage/mutants"
