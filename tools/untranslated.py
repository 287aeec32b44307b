"""List the Vietnamese text that does not go through gettext (Python and templates).

The architecture rule: every user-facing string is written in English in the code, passed
through gettext (`_()`, `gettext_lazy`, `{% translate %}`, `{% blocktranslate %}`), and
translated to Vietnamese in the catalogue (tools/vi.json, tools/vi/*.json). A Vietnamese
literal outside gettext reaches an English user in Vietnamese. This script finds them.

Usage:
    .venv/bin/python tools/untranslated.py                 # counts per package
    .venv/bin/python tools/untranslated.py -v              # every literal, file:line: text
    .venv/bin/python tools/untranslated.py -v pctp/units   # only under these paths
    .venv/bin/python tools/untranslated.py --root DIR      # scan another checkout
    .venv/bin/python tools/untranslated.py --max 0 pctp/core   # CI: exit 1 past 0 findings

What is scanned: pctp/**/*.py and pctp/**/*.html. Skipped: migrations, tests, the data
folders (pctp/*/data/) and the demo seeders (demo.py, *_demo.py: Vietnamese names and
addresses are the demo's data, not interface text).

A literal "contains Vietnamese" when it has a letter with a Vietnamese diacritic
(ă â đ ê ô ơ ư and the tone marks á à ả ã ạ …). It is not reported when it is:
  - inside a gettext call: _, gettext, gettext_lazy, ngettext, ngettext_lazy, pgettext,
    pgettext_lazy, npgettext, gettext_noop;
  - a docstring;
  - the message of a logging call (logger.info(...), log.warning(...), logging.error(...)):
    log lines stay stable for whoever greps them;
  - on a line marked `# i18n: data` (or inside a statement whose first line is marked):
    the literal is data (a stored value, a reference-data name, a parsed header, a legal
    document's name used as a key), not interface text. A module whose first 30 lines
    hold `# i18n: data-module` is skipped whole;
  - in a template: inside {% translate %}/{% trans %}, {% blocktranslate %} …
    {% endblocktranslate %}, a {# comment #} or {% comment %} … {% endcomment %}; a template
    line may be marked with {# i18n: data #}.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import Counter
from pathlib import Path

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
    re.IGNORECASE,
)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
           "pgettext_lazy", "npgettext", "npgettext_lazy", "gettext_noop", "_lazy", "_l"}
LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
DATA_MARK = "i18n: data"
SKIP_DIRS = {"migrations", "tests", "data", "__pycache__", "static", "locale"}
SKIP_FILES = re.compile(r"(^|_)demo\.py$")


def _func_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_log_call(call: ast.Call) -> bool:
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in LOG_METHODS):
        return False
    owner = func.value
    name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
    return "log" in name.lower()


def scan_python(path: Path, text: str) -> list[tuple[int, str]]:
    if DATA_MARK + "-module" in "\n".join(text.splitlines()[:30]):
        return []
    tree = ast.parse(text, filename=str(path))
    lines = text.splitlines()
    marked = {n for n, line in enumerate(lines, 1) if DATA_MARK in line}
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, excluded: bool, stmt_lines: tuple[int, int]) -> None:
        if isinstance(node, ast.stmt):
            stmt_lines = (node.lineno, node.end_lineno or node.lineno)
        if isinstance(node, ast.Call) and (_func_name(node) in GETTEXT or _is_log_call(node)):
            excluded = True
        if isinstance(node, ast.JoinedStr):  # an f-string counts once, with its fields
            parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            if not excluded and VIETNAMESE.search("".join(parts)):
                own = set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
                if not (own & marked) and stmt_lines[0] not in marked:
                    found.append((node.lineno, "f" + repr(ast.unparse(node))[2:-1]))
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    visit(value, excluded, stmt_lines)
            return
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and not excluded and id(node) not in docstrings
                and VIETNAMESE.search(node.value)):
            own = set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
            if not (own & marked) and stmt_lines[0] not in marked:
                found.append((node.lineno, node.value))
        for child in ast.iter_child_nodes(node):
            visit(child, excluded, stmt_lines)

    visit(tree, False, (0, 0))
    return found


TEMPLATE_SKIP = re.compile(
    r"\{#.*?#\}"
    r"|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"
    r"|\{%\s*(?:blocktranslate|blocktrans)\b.*?\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}"
    r"|\{%\s*(?:translate|trans)\s.*?%\}"
    r"|\{\{.*?\|\s*(?:translate|trans)\s*\}\}",
    re.DOTALL,
)


def scan_template(text: str) -> list[tuple[int, str]]:
    lines = text.splitlines()
    marked = {n for n, line in enumerate(lines, 1) if DATA_MARK in line}
    # Blank out what is translated or commented, keeping the line breaks for line numbers.
    blanked = TEMPLATE_SKIP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    found = []
    for number, line in enumerate(blanked.splitlines(), 1):
        if number in marked or not VIETNAMESE.search(line):
            continue
        found.append((number, line.strip()))
    return found


def iter_files(root: Path, paths: list[str]):
    bases = [root / p for p in paths] if paths else [root / "pctp"]
    for base in bases:
        candidates = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in candidates:
            if path.suffix not in {".py", ".html"} or not path.is_file():
                continue
            rel = path.relative_to(root)
            if SKIP_DIRS & set(rel.parts[:-1]) or SKIP_FILES.search(path.name):
                continue
            yield path


def package_of(rel: Path) -> str:
    """pctp/<app> for code; templates count for the app they are named after
    (pctp/templates/<app>/...), the shared ones (base, errors, registration) for core."""
    parts = rel.parts
    if len(parts) >= 2 and parts[1] == "templates":
        app = parts[2] if len(parts) > 3 else "core"
        if app in {"errors", "registration", "includes"}:
            app = "core"
        return f"pctp/{app}"
    if len(parts) >= 3:
        return "/".join(parts[:2])
    return "pctp (top level)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", help="files or folders relative to the root")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every literal")
    parser.add_argument("--max", type=int, default=None,
                        help="exit 1 when more than this many literals are found")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    per_package: Counter[str] = Counter()
    total = 0
    for path in iter_files(root, args.paths):
        rel = path.relative_to(root)
        text = path.read_text(encoding="utf-8")
        found = scan_python(path, text) if path.suffix == ".py" else scan_template(text)
        for line, literal in found:
            if args.verbose:
                shown = literal.replace("\n", "\\n")
                print(f"{rel}:{line}: {shown[:160]}")
        per_package[package_of(rel)] += len(found)
        total += len(found)
    if args.verbose:
        print()
    for package, count in sorted(per_package.items()):
        if count:
            print(f"{count:5d}  {package}")
    print(f"{total:5d}  total")
    if args.max is not None and total > args.max:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
