"""The shape of the product code (scripts/import_graph.py): arrows point down, nothing imports in a circle,
nothing reaches into another module's underscore names or hides an import in a function, no file grows past
400 lines. The measuring script itself is tested on small trees of its own."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
import_graph = importlib.util.module_from_spec(spec)
sys.modules["import_graph"] = import_graph  # dataclasses look their module up there
spec.loader.exec_module(import_graph)


def test_the_product_code_has_no_cycle_no_upward_arrow_no_hidden_or_private_import_and_no_long_file():
    assert import_graph.problems() == []


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("campaigns.views.drafts", 4),
        ("campaigns.tasks", 4),
        ("campaigns.services.drafts.workflow", 3),
        ("campaigns.cxone.factory", 2),
        ("campaigns.charts.timeline", 2),
        ("campaigns.sandbox.app", 2),
        ("campaigns.scheduling.windows", 1),
        ("campaigns.models.drafts", 1),
    ],
)
def test_each_module_sits_on_its_layer(module, layer):
    assert import_graph.layer_of(module) == layer


def fake_tree(tmp_path, files: dict[str, str], monkeypatch) -> dict:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    for package in ("campaigns", "planner"):
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    monkeypatch.setattr(import_graph, "ROOT", tmp_path)
    return import_graph.graph()


def test_it_reports_a_cycle_between_two_modules(tmp_path, monkeypatch):
    modules = fake_tree(
        tmp_path,
        {"campaigns/a.py": "from campaigns import b\n", "campaigns/b.py": "from campaigns import a\n"},
        monkeypatch,
    )
    assert import_graph.problems(modules) == ["import cycle: campaigns.a ↔ campaigns.b"]


def test_it_reports_a_lower_layer_importing_a_higher_one(tmp_path, monkeypatch):
    modules = fake_tree(
        tmp_path,
        {
            "campaigns/scheduling/__init__.py": "",
            "campaigns/scheduling/cron.py": "from campaigns.services import audit\n",
            "campaigns/services/__init__.py": "",
            "campaigns/services/audit.py": "",
        },
        monkeypatch,
    )
    [said] = import_graph.problems(modules)
    assert "campaigns.scheduling.cron (layer 1) imports the higher campaigns.services.audit (layer 3)" in said


def test_it_reports_an_import_hidden_in_a_function_and_a_private_name(tmp_path, monkeypatch):
    modules = fake_tree(
        tmp_path,
        {
            "campaigns/a.py": "def f():\n    from campaigns import b\n    return b._secret\n",
            "campaigns/b.py": "_secret = 1\n",
        },
        monkeypatch,
    )
    said = import_graph.problems(modules)
    assert "campaigns/a.py:2: imports campaigns.b inside a function" in said
    assert "campaigns/a.py:3: uses another module's underscore name campaigns.b._secret" in said


def test_it_reports_a_file_over_the_limit(tmp_path, monkeypatch):
    modules = fake_tree(tmp_path, {"campaigns/long.py": "x = 1\n" * 401}, monkeypatch)
    assert import_graph.problems(modules) == ["campaigns/long.py: 402 lines (split before 400)"]
