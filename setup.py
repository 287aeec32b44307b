"""Build hook: the built package carries the compiled catalogues (.mo), compiled here from
the .po files with polib (the .mo files are not kept in git). Everything else about the
package is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self):
        import polib

        for po_path in Path(__file__).resolve().parent.glob("pctp/locale/*/LC_MESSAGES/*.po"):
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
