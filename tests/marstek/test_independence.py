"""The battery library stands alone: nothing under ``bot.marstek`` imports the rest of the bot."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import bot.marstek
from bot.clock import ManualClock, ScaledClock, SystemClock
from bot.marstek.clock import Clock
from bot.marstek.clock import SystemClock as LibrarySystemClock

PACKAGE = "bot.marstek"
PACKAGE_DIR = Path(bot.marstek.__file__).parent
ROOT = PACKAGE_DIR.parent.parent


def module_name(path: Path) -> str:
    """Dotted name of a module file under the project root."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module (or module attribute) that ``source`` imports, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            names.add(base)
            # "from bot import clock" imports bot.clock: count the imported names too.
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def foreign_bot_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """The imports of ``source`` that reach into ``bot`` outside ``bot.marstek``."""
    return sorted(
        name
        for name in imported_names(source, module, is_package=is_package)
        if (name == "bot" or name.startswith("bot."))
        and not (name == PACKAGE or name.startswith(PACKAGE + "."))
    )


def test_no_module_of_the_library_imports_the_rest_of_the_bot() -> None:
    modules = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(modules) > 20  # the walk really covers the library and its simulator
    offenders = {
        module_name(path): found
        for path in modules
        if (
            found := foreign_bot_imports(
                path.read_text(encoding="utf-8"),
                module_name(path),
                is_package=path.name == "__init__.py",
            )
        )
    }
    assert offenders == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from bot.clock import Clock", ["bot.clock", "bot.clock.Clock"]),
        ("from bot import clock", ["bot", "bot.clock"]),
        ("import bot.tempo.model", ["bot.tempo.model"]),
        ("from ...tempo import model", ["bot.tempo", "bot.tempo.model"]),
        ("from ... import settings", ["bot", "bot.settings"]),
        ("from bot.marstekish import x", ["bot.marstekish", "bot.marstekish.x"]),
        ("from bot.marstek import protocol\nfrom .. import errors\nimport json", []),
    ],
)
def test_the_import_check_catches_every_spelling(source: str, expected: list[str]) -> None:
    # As if the source were bot/marstek/simulator/unit.py.
    assert foreign_bot_imports(source, "bot.marstek.simulator.unit") == expected


def test_importing_the_library_loads_no_other_bot_module() -> None:
    code = (
        "import sys, bot.marstek, bot.marstek.simulator; "
        "print('\\n'.join(sorted(m for m in sys.modules if m.split('.')[0] == 'bot')))"
    )
    loaded = subprocess.run(  # noqa: S603 - a fixed command line with this interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert "bot.marstek.client" in loaded
    assert [name for name in loaded if name != "bot" and not name.startswith(PACKAGE)] == []


@pytest.mark.parametrize("clock_type", [SystemClock, ScaledClock, LibrarySystemClock])
def test_the_bots_clocks_satisfy_the_library_clock(clock_type: type) -> None:
    assert isinstance(clock_type(), Clock)


def test_the_manual_clock_satisfies_the_library_clock() -> None:
    assert isinstance(ManualClock(LibrarySystemClock().now()), Clock)
