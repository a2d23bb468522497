"""config/README.md is generated from the schemas and is current; every key is described."""

import importlib.util

from conftest import REPO

SCRIPT = REPO / "workflow" / "scripts" / "write_config_readme.py"


def load_script():
    spec = importlib.util.spec_from_file_location("write_config_readme", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_config_readme_is_generated_from_the_current_schemas():
    script = load_script()
    assert (REPO / "config" / "README.md").read_text(encoding="utf-8") == script.render(), (
        "config/README.md is stale: run .venv/bin/python workflow/scripts/write_config_readme.py"
    )


def test_every_key_of_both_schemas_has_a_description():
    script = load_script()
    import yaml

    undescribed = []
    for path in script.SCHEMAS.values():
        schema = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, _, _, _, _, description in script.rows(schema, "", schema, True):
            if not description and not key.endswith("<name>"):
                undescribed.append(f"{path.name}: {key}")
    assert undescribed == []
