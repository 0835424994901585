"""setup.py stays beside pyproject.toml for two reasons.

* It maps the top-level ``templates/`` folder into the installed package as
  ``eqsnn.templates``, so a plain, non-editable ``pip install .`` ships the Jinja2
  templates the code generator reads.
* It compiles ``eqsnn/compiler/_runner.pyx`` with Cython: the one module, the same for
  every network, that enters a network's compiled C loop without the GIL. Building it
  here means no network ever waits for Cython at run time. The extension is optional: on
  a machine without a C compiler the install still succeeds (eqsnn then runs on its
  numpy backend), and where it is missing eqsnn compiles it into its cache on first use.
"""
from setuptools import Extension, find_packages, setup

packages = find_packages(include=["eqsnn", "eqsnn.*"]) + ["eqsnn.templates"]


def _extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:  # no Cython at build time: the runner is built on first use
        return []
    runner = Extension("eqsnn.compiler._runner", ["eqsnn/compiler/_runner.pyx"],
                       optional=True)
    return cythonize([runner], language_level=3, quiet=True)


setup(
    packages=packages,
    package_dir={"eqsnn.templates": "templates"},
    package_data={"eqsnn.templates": ["*.j2", "**/*.j2", "*.h"],
                  "eqsnn.compiler": ["_runner.pyx"]},
    include_package_data=True,
    ext_modules=_extensions(),
)
