"""config/README.md is generated from the schemas and is current; every key is described."""

from likertflow_tools import config_readme


def test_config_readme_is_generated_from_the_current_schemas():
    assert config_readme.OUTPUT.read_text(encoding="utf-8") == config_readme.render(), (
        "config/README.md is stale: run `likertflow config-readme`"
    )


def test_every_key_of_both_schemas_has_a_description():
    import yaml

    undescribed = []
    for path in config_readme.SCHEMAS.values():
        schema = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, _, _, _, _, description in config_readme.rows(schema, "", schema, True):
            if not description and not key.endswith("<name>"):
                undescribed.append(f"{path.name}: {key}")
    assert undescribed == []
