"""setup.py stays beside pyproject.toml for one reason: it maps the top-level
``templates/`` folder into the installed package as ``eqsnn.templates``, so a plain,
non-editable ``pip install .`` ships the Jinja2 templates the code generator reads."""
from setuptools import find_packages, setup

packages = find_packages(include=["eqsnn", "eqsnn.*"]) + ["eqsnn.templates"]

setup(
    packages=packages,
    package_dir={"eqsnn.templates": "templates"},
    package_data={"eqsnn.templates": ["*.j2", "**/*.j2", "*.h"]},
    include_package_data=True,
)
