"""The templates for adopting projects validate against their tools' official JSON Schemas.

The schemas are vendored unchanged under tests/schemas/ (source, commit and sha256 in its
README.md), so the check runs offline and gives the same answer every time. Each template is
read the way its real tool reads it: GitLab's YAML knows the custom tag ``!reference``, GitHub
Actions and the publiccode parser read YAML 1.2 (``on:`` is a key, not ``True``), pre-commit
reads plain PyYAML.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import ValidationError, validators
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from projects import REPO

SCHEMA_DIR = REPO / "tests" / "schemas"


class GitLabLoader(yaml.SafeLoader):
    """PyYAML with GitLab's custom tag: ``!reference [job, key]`` becomes the list ``[job, key]``.

    GitLab resolves the reference when it builds the pipeline; its own schema describes the
    unresolved tag as an array of strings (definition ``!reference``), which this list matches.
    """


def _construct_reference(loader: yaml.SafeLoader, node: yaml.Node) -> list[object]:
    if not isinstance(node, yaml.SequenceNode):
        raise yaml.constructor.ConstructorError(None, None, "!reference braucht eine Liste", node.start_mark)
    return loader.construct_sequence(node, deep=True)


GitLabLoader.add_constructor("!reference", _construct_reference)


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML close to YAML 1.2's core schema, as GitHub Actions and Go's yaml.v3 read files.

    YAML 1.1 turns ``on``/``off``/``yes``/``no`` into booleans and ``2024-01-31`` into a date;
    YAML 1.2 knows only ``true``/``false`` and keeps dates as strings. Without this the workflow's
    ``on:`` key would arrive as ``True`` and the schema would (rightly) miss it.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def read_template(name: str, loader: type[yaml.SafeLoader]) -> object:
    return yaml.load((REPO / name).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe loaders)


def load_schema(file_name: str) -> dict:
    return json.loads((SCHEMA_DIR / file_name).read_text(encoding="utf-8"))


def schema_registry() -> Registry:
    """Every vendored schema under its ``$id``, so ``$ref``s between them resolve locally.

    The registry has no retrieve function: a reference to anything not vendored fails instead
    of being fetched from the network.
    """
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def validation_errors(instance: object, schema_file: str) -> list[ValidationError]:
    """Errors of ``instance`` against a vendored schema, with the validator its ``$schema`` names."""
    schema = load_schema(schema_file)
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, registry=schema_registry(), format_checker=validator_class.FORMAT_CHECKER)
    return sorted(validator.iter_errors(instance), key=lambda error: list(map(str, error.absolute_path)))


def messages(errors: list[ValidationError]) -> list[str]:
    """Every message with its place, including those inside ``anyOf``/``oneOf`` branches."""
    lines = []
    for error in errors:
        message = error.message if len(error.message) <= 200 else error.message[:200] + " …"  # anyOf quotes the whole job
        lines.append(f"{'/'.join(map(str, error.absolute_path)) or '(Wurzel)'}: {message}")
        lines.extend("  " + line for line in messages(list(error.context or [])))
    return lines


def schema_errors(instance: object, schema_file: str) -> list[str]:
    return messages(validation_errors(instance, schema_file))


# template → (schema, loader as the real tool reads it)
TEMPLATES: dict[str, tuple[str, type[yaml.SafeLoader]]] = {
    ".gitlab-ci.yml": ("gitlab-ci.json", GitLabLoader),
    ".github/workflows/redaktion.yml": ("github-workflow.json", Yaml12Loader),
    ".pre-commit-config.yaml": ("pre-commit-config.json", yaml.SafeLoader),
    ".pre-commit-hooks.yaml": ("pre-commit-hooks.json", yaml.SafeLoader),
    "publiccode.yml": ("publiccode.json", Yaml12Loader),
}


def _rename(mapping: dict, old: str, new: str) -> None:
    mapping[new] = mapping.pop(old)


# template → a deliberately broken edit of the loaded data (a typo the real tool would reject)
BREAKAGES: dict[str, Callable[[Any], object]] = {
    ".gitlab-ci.yml": lambda ci: _rename(ci["pruefen"], "script", "scirpt"),
    ".github/workflows/redaktion.yml": lambda wf: _rename(wf["jobs"]["pruefen"], "runs-on", "runs_on"),
    # The schema allows unknown keys and any language in hooks (and, being draft-07, ignores the
    # ``required`` next to a ``$ref``), so the mistake goes into a value: a quoted boolean.
    ".pre-commit-config.yaml": lambda cfg: cfg["repos"][0]["hooks"][0].update(pass_filenames="false"),
    ".pre-commit-hooks.yaml": lambda hooks: _rename(hooks[0], "entry", "entyr"),
    "publiccode.yml": lambda pc: _rename(pc["legal"], "license", "licence"),
}


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_template_validates_against_its_official_schema(template: str) -> None:
    schema_file, loader = TEMPLATES[template]
    errors = schema_errors(read_template(template, loader), schema_file)
    assert not errors, f"{template} verletzt {schema_file}:\n" + "\n".join(errors)


@pytest.mark.parametrize("template", sorted(BREAKAGES))
def test_a_broken_copy_of_the_template_is_rejected(template: str) -> None:
    schema_file, loader = TEMPLATES[template]
    broken = copy.deepcopy(read_template(template, loader))
    BREAKAGES[template](broken)
    errors = schema_errors(broken, schema_file)
    assert errors, f"{schema_file} nimmt eine kaputte Kopie von {template} an"


def test_the_workflow_read_as_yaml_1_1_misses_its_trigger() -> None:
    """Why the workflow needs the YAML 1.2 loader: PyYAML's default turns ``on`` into ``True``."""
    assert "on" in read_template(".github/workflows/redaktion.yml", Yaml12Loader)
    as_yaml_1_1 = read_template(".github/workflows/redaktion.yml", yaml.SafeLoader)
    assert True in as_yaml_1_1 and "on" not in as_yaml_1_1
    assert any("'on' is a required property" in error for error in schema_errors(as_yaml_1_1, "github-workflow.json"))


def test_lowercase_country_codes_in_publiccode_are_rejected() -> None:
    publiccode = read_template("publiccode.yml", Yaml12Loader)
    publiccode["intendedAudience"]["countries"] = ["de"]
    assert any(error.startswith("intendedAudience/countries/0") for error in schema_errors(publiccode, "publiccode.json"))


def test_gitlab_reference_tags_are_read_as_lists_and_validate() -> None:
    """Adopters extend the pipeline with ``!reference``; the loader and the schema accept it."""
    text = (REPO / ".gitlab-ci.yml").read_text(encoding="utf-8") + (
        "\n.vorbereiten:\n  script:\n    - echo vorbereiten\n"
        "\nzusatz:\n  stage: pruefen\n  script:\n    - !reference [.vorbereiten, script]\n    - echo los\n")
    ci = yaml.load(text, Loader=GitLabLoader)  # noqa: S506 (safe loader)
    assert ci["zusatz"]["script"][0] == [".vorbereiten", "script"]
    assert not schema_errors(ci, "gitlab-ci.json")
    ci["zusatz"]["script"][0] = [".vorbereiten", 3]  # a reference names keys, never numbers
    assert schema_errors(ci, "gitlab-ci.json")


def test_references_between_schemas_resolve_offline() -> None:
    """pre-commit-config.json refers to pre-commit-hooks.json; the registry holds it, nothing is fetched."""
    config = read_template(".pre-commit-config.yaml", yaml.SafeLoader)
    config["repos"][0]["hooks"][0]["stages"] = ["pre-comit"]  # checked by the stage enum of pre-commit-hooks.json
    assert any("'pre-comit' is not one of" in error for error in schema_errors(config, "pre-commit-config.json"))
    schema = load_schema("pre-commit-config.json")
    without_hooks = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    validator = validators.validator_for(schema)(schema, registry=without_hooks)
    with pytest.raises(Unresolvable):
        list(validator.iter_errors(config))


def _documented_checksums(readme: Path) -> dict[str, str]:
    return {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})\s+(\S+\.json)$", readme.read_text(encoding="utf-8"), re.M)}


def test_vendored_schemas_are_unchanged_copies() -> None:
    """Each schema's sha256 is the one its README records for the upstream file."""
    documented = _documented_checksums(SCHEMA_DIR / "README.md")
    vendored = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in SCHEMA_DIR.glob("*.json")}
    assert vendored == documented
    assert set(vendored) == {schema for schema, _ in TEMPLATES.values()}
