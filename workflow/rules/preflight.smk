# Before the Snakefile's `configfile:`: a YAML mistake in the survey's config/config.yaml is
# reported with its file, line and column (Snakemake's own message, "Config file is not valid
# JSON or YAML", has neither). A file given with --configfile is read by Snakemake before any
# Snakefile runs: `likertflow check` reports its mistakes the same way.
import os
import sys

sys.path.insert(
    0,
    os.path.join(
        os.path.dirname(workflow.current_basedir.get_path_or_uri(secret_free=True)),
        "scripts",
    ),
)
from likertflow.schemas import read_yaml

if not workflow.overwrite_configfiles and os.path.isfile("config/config.yaml"):
    read_yaml("config/config.yaml")
