"""Files people and their tools read: every YAML file the project ships or writes loads to the same data
with libyaml and with PyYAML's pure-Python loader, and a settings typo is refused, not ignored."""
from __future__ import annotations

import pytest
import yaml

from conftest import ROOT, SOURCE
from guidebot.bot.importer import draft_yaml, import_file
from guidebot.bot.settings import ConfigError, parse_settings

SHIPPED = sorted([*ROOT.glob("knowledge/*.yaml"), *ROOT.glob("adapters/slack/*.yaml"), ROOT / "settings.example.yaml",
                  *ROOT.glob("tests/eval/*.yaml"), *ROOT.glob("tests/eval/unseen/*.yaml")])


def both_loaders(text: str) -> tuple[object, object]:
    return yaml.load(text, Loader=yaml.CSafeLoader), yaml.load(text, Loader=yaml.SafeLoader)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_yaml_file_reads_the_same_with_both_loaders(path):
    fast, pure = both_loaders(path.read_text(encoding="utf-8"))
    assert fast == pure


def test_an_imported_draft_has_no_anchors_and_reads_the_same_with_both_loaders():
    text = draft_yaml(import_file(SOURCE))
    assert "&id" not in text and "*id" not in text
    fast, pure = both_loaders(text)
    assert fast == pure


@pytest.mark.parametrize("typo, nearest", [("comms_cheif: {slack: U1}\n", "comms_chief"),
                                           ("retention_day: 30\n", "retention_days"),
                                           ("thresholds: {answer_confidense: 0.7}\n", "thresholds.answer_confidence")])
def test_a_misspelt_setting_is_refused_with_its_line_and_the_nearest_name(typo, nearest):
    with pytest.raises(ConfigError) as refused:
        parse_settings("organisation: Testkommune\n" + typo, "settings.yaml")
    assert f"did you mean '{nearest}'" in str(refused.value) and "settings.yaml" in str(refused.value)
