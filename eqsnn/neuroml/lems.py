"""Read LEMS and NeuroML 2 documents into definitions eqsnn can translate.

A NeuroML 2 document is LEMS with a fixed library of ComponentTypes (NeuroML2CoreTypes:
cells, synapses, inputs, networks). This module reads both with lxml — keeping each
element's file and line for messages — resolves ``<Include>`` / ``<include>``, and
collects:

* ``Dimension`` and ``Unit`` definitions (values such as ``"-70mV"`` become SI numbers),
* ``ComponentType`` definitions, resolved along ``extends``
  (:class:`ResolvedType`),
* components (``<iafCell id=...>`` or ``<Component type=...>``) with their attributes
  and nested children (:class:`Component`).

The core types are read from the jNeuroML jar that ships inside the pyNeuroML wheel,
so eqsnn translates exactly the definitions jNeuroML simulates.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from eqsnn._extras import require
from eqsnn.neuroml.errors import NeuroMLError, error_at

__all__ = ["Library", "Component", "ResolvedType", "jneuroml_jar", "local_name"]

_CORE_PREFIX = "NeuroML2CoreTypes/"
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z_][\w]*)?\s*$")
# Elements of a ComponentType that declare its interface (not components).
_DECLARATIONS = {"Parameter", "DerivedParameter", "Constant", "Property", "Exposure",
                 "Requirement", "EventPort", "Text", "Path", "Link", "ComponentReference",
                 "Children", "Child", "Attachments", "Fixed", "IndexParameter",
                 "InstanceRequirement", "ComponentRequirement", "Dynamics", "Structure",
                 "Simulation", "Equilibrium", "Procedure", "Geometry"}


def local_name(tag) -> str:
    """An element's tag without its XML namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _etree():
    return require("lxml.etree", extra="neuroml", feature="eqsnn.neuroml")


@lru_cache(maxsize=1)
def jneuroml_jar() -> Path:
    """The jNeuroML jar inside the installed pyNeuroML (the reference simulator)."""
    pyneuroml = require("pyneuroml", extra="neuroml", feature="eqsnn.neuroml")
    jars = sorted(Path(pyneuroml.__file__).parent.joinpath("lib").glob("jNeuroML-*.jar"))
    if not jars:
        raise NeuroMLError("the installed pyNeuroML has no jNeuroML jar in its lib folder",
                           hint='reinstall the extra: pip install --force-reinstall '
                                '"eqsnn[neuroml]"')
    return jars[-1]


@lru_cache(maxsize=None)
def _core_text(name: str) -> str:
    with zipfile.ZipFile(jneuroml_jar()) as jar:
        return jar.read(_CORE_PREFIX + name).decode("utf-8")


@dataclass
class Component:
    """One component: ``type`` is its ComponentType's name, ``attrs`` its XML
    attributes (parameter values as written), ``children`` its nested components."""

    id: str | None
    type: str
    attrs: dict
    element: object
    children: list = field(default_factory=list)
    parent: "Component | None" = None

    def children_of(self, *types: str) -> list["Component"]:
        return [c for c in self.children if c.type in types]


@dataclass
class ResolvedType:
    """A ComponentType with everything it inherits along ``extends``."""

    name: str
    element: object
    chain: list                       # type names, this one first
    parameters: dict                  # name -> dimension name
    fixed: dict                       # parameter -> value text
    derived_parameters: dict          # name -> (dimension, expression, element)
    constants: dict                   # name -> (dimension, value text, element)
    properties: dict                  # name -> (dimension, default value text)
    exposures: dict                   # name -> dimension
    requirements: dict                # name -> dimension
    event_ports: dict                 # name -> direction
    other: dict                       # tag -> [elements]: Text, Path, Child, ...
    dynamics: object | None           # the <Dynamics> element that applies
    structure: object | None

    def is_a(self, name: str) -> bool:
        return name in self.chain


class Library:
    """Everything read from one document and the files it includes."""

    def __init__(self):
        self.texts: dict[str, str] = {}          # file URL -> text, for messages
        self.dimensions: dict[str, dict] = {}    # name -> {m: 1, l: 2, ...}
        self.units: dict[str, tuple] = {}        # symbol -> (dimension, factor, offset)
        self.types: dict[str, object] = {}       # name -> <ComponentType>
        self.components: dict[str, Component] = {}
        self.top: list[Component] = []           # top-level components, in file order
        self.targets: list[str] = []             # <Target component=...>
        self._read: set[str] = set()
        self._resolved: dict[str, ResolvedType] = {}

    # --- reading ------------------------------------------------------------------------
    def load(self, path) -> list[Component]:
        """Read ``path`` (and what it includes); returns its own top-level components."""
        path = Path(path)
        if not path.is_file():
            raise NeuroMLError(f"no NeuroML/LEMS file at {path}")
        before = len(self.top)
        self._read_file(str(path.resolve()), path.read_text(encoding="utf-8"), path.parent)
        return self.top[before:]

    def load_string(self, text: str, name: str = "<string>") -> list[Component]:
        before = len(self.top)
        self._read_file(name, text, Path.cwd())
        return self.top[before:]

    def _read_file(self, url: str, text: str, folder: Path | None) -> None:
        if url in self._read:
            return
        self._read.add(url)
        self.texts[url] = text
        etree = _etree()
        try:
            root = etree.fromstring(text.encode("utf-8"), base_url=url,
                                    parser=etree.XMLParser(remove_comments=True))
        except etree.XMLSyntaxError as exc:
            raise NeuroMLError(f"{url} is not well-formed XML: {exc}") from None
        root.getroottree().docinfo.URL = url
        if local_name(root.tag) == "neuroml":     # NeuroML 2 implies its core types
            self._include_core("NeuroML2CoreTypes.xml")
        elif local_name(root.tag) != "Lems":
            raise error_at(root, "the document is neither NeuroML 2 (<neuroml>) nor LEMS "
                                 "(<Lems>)", texts=self.texts)
        for element in root:
            if isinstance(element.tag, str):
                self._top_element(element, folder)

    def _include_core(self, name: str) -> None:
        self._read_file(f"{_CORE_PREFIX}{name}", _core_text(name), None)

    def _include(self, element, name: str, folder: Path | None) -> None:
        if folder is not None and (folder / name).is_file():
            path = (folder / name).resolve()
            self._read_file(str(path), path.read_text(encoding="utf-8"), path.parent)
            return
        base = Path(name).name
        try:
            self._include_core(base)
        except KeyError:
            raise error_at(element, f"cannot find the included file {name!r}",
                           hint="put it beside the including file", texts=self.texts) from None

    def _top_element(self, element, folder: Path | None) -> None:
        tag = local_name(element.tag)
        if tag in ("Include", "include"):
            self._include(element, element.get("file") or element.get("href") or "", folder)
        elif tag == "Dimension":
            self.dimensions[element.get("name")] = {
                k: int(element.get(k, 0)) for k in "mltiknj" if element.get(k)}
        elif tag == "Unit":
            self._unit(element)
        elif tag == "ComponentType":
            self.types[element.get("name")] = element
        elif tag == "Target":
            self.targets.append(element.get("component"))
        elif tag in ("Assertion", "notes", "annotation", "property", "Constant"):
            pass
        else:
            component = self._component(element, None)
            self.top.append(component)

    def _unit(self, element) -> None:
        power = float(element.get("power", 0))
        scale = float(element.get("scale", 1))
        self.units[element.get("symbol")] = (element.get("dimension"), scale * 10.0 ** power,
                                             float(element.get("offset", 0)))

    def _component(self, element, parent: Component | None) -> Component:
        tag = local_name(element.tag)
        attrs = dict(element.attrib)
        ctype = attrs.pop("type") if tag == "Component" else tag
        component = Component(attrs.get("id"), ctype, attrs, element, parent=parent)
        for child in element:
            if isinstance(child.tag, str) and local_name(child.tag) not in ("notes", "annotation"):
                component.children.append(self._component(child, component))
        if component.id and parent is None:
            self.components[component.id] = component
        return component

    # --- types ---------------------------------------------------------------------------
    def resolve(self, name: str, where=None) -> ResolvedType:
        """The ComponentType ``name`` with everything it inherits."""
        if name in self._resolved:
            return self._resolved[name]
        if name not in self.types:
            raise self.error(where, f"no ComponentType named {name!r} is defined",
                             hint="check the spelling, or include the file defining it")
        element = self.types[name]
        base = element.get("extends")
        resolved = (_copy(self.resolve(base, element)) if base
                    else ResolvedType(name, element, [], {}, {}, {}, {}, {}, {}, {}, {}, {},
                                      None, None))
        resolved.name, resolved.element = name, element
        resolved.chain = [name] + resolved.chain
        for child in element:
            if isinstance(child.tag, str):
                _declare(resolved, child)
        self._resolved[name] = resolved
        return resolved

    def quantity(self, text: str, dimension: str | None, where=None) -> tuple[float, str]:
        """``"-70mV"`` → (-0.07, "voltage"); checks the dimension when one is expected."""
        match = _NUMBER.match(str(text))
        if not match:
            raise self.error(where, f"{text!r} is not a number with an optional unit",
                             hint='write values like "-70mV" or "0.2 nS"')
        number, symbol = float(match.group(1)), match.group(2)
        if symbol is None:
            value, dim = number, "none"
        elif symbol in self.units:
            dim, factor, offset = self.units[symbol]
            value = number * factor + offset
        else:
            raise self.error(where, f"unknown unit {symbol!r} in {text!r}",
                             hint="NeuroML units are symbols such as mV, ms, nS, pF, "
                                  "uA_per_cm2")
        if dimension is not None and not self.same_dimension(dim, dimension):
            raise self.error(where, f"{text!r} has dimension {dim}, but {dimension} is "
                                    f"expected here")
        return value, dimension or dim

    def same_dimension(self, a: str, b: str) -> bool:
        if a == b:
            return True
        if a in ("none", "*") or b in ("none", "*"):
            return a == b or "*" in (a, b)
        return self.dimensions.get(a) == self.dimensions.get(b)

    def error(self, element, message: str, *, hint: str | None = None, cls=NeuroMLError):
        if element is None:
            return cls(message, hint=hint)
        return error_at(element, message, hint=hint, texts=self.texts, cls=cls)


def _copy(resolved: ResolvedType) -> ResolvedType:
    return ResolvedType(
        resolved.name, resolved.element, list(resolved.chain), dict(resolved.parameters),
        dict(resolved.fixed), dict(resolved.derived_parameters), dict(resolved.constants),
        dict(resolved.properties), dict(resolved.exposures), dict(resolved.requirements),
        dict(resolved.event_ports), {k: list(v) for k, v in resolved.other.items()},
        resolved.dynamics, resolved.structure)


def _declare(resolved: ResolvedType, child) -> None:
    tag = local_name(child.tag)
    get = child.get
    if tag == "Parameter":
        resolved.parameters[get("name")] = get("dimension", "none")
    elif tag == "Fixed":
        resolved.fixed[get("parameter")] = get("value")
    elif tag == "DerivedParameter":
        resolved.derived_parameters[get("name")] = (get("dimension", "none"), get("value"), child)
    elif tag == "Constant":
        resolved.constants[get("name")] = (get("dimension", "none"), get("value"), child)
    elif tag == "Property":
        resolved.properties[get("name")] = (get("dimension", "none"), get("defaultValue"))
    elif tag == "Exposure":
        resolved.exposures[get("name")] = get("dimension", "none")
    elif tag == "Requirement":
        resolved.requirements[get("name")] = get("dimension", "none")
    elif tag == "EventPort":
        resolved.event_ports[get("name")] = get("direction")
    elif tag == "Dynamics":
        resolved.dynamics = child          # a type's own Dynamics replace its base's
    elif tag == "Structure":
        resolved.structure = child
    elif tag in _DECLARATIONS:
        resolved.other.setdefault(tag, []).append(child)
