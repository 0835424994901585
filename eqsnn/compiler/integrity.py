"""Whether a cached module file is whole: its digest, and (for ELF) its own table of contents.

The builder writes the sha256 of a module next to it (``<name>.sha256``) before the module
appears. A module is loaded only if both checks pass:

* its sha256 matches the digest file (a file changed or cut short after it was built), and
* on ELF platforms (Linux, BSD), every segment and the section table that its header
  names lie inside the file. A shared library cut short *before* its digest was taken (a
  full disk while the linker wrote it) matches its digest, and ``dlopen`` would map pages
  past the end of the file: the process dies of SIGBUS at the first touch, not with an
  error. The ELF header says how long the file must be; that is read, never guessed.

A digest file that is unreadable, not ASCII or not 64 hex digits counts as damage, like
a mismatch: the entry is rebuilt, never an exception on every run.
"""
from __future__ import annotations

import hashlib
import string
import struct
from pathlib import Path

__all__ = ["digest_path", "file_digest", "write_digest", "intact", "elf_complete"]

_HEX = set(string.hexdigits.lower())
_ELF_MAGIC = b"\x7fELF"
_PT_LOAD = 1


def digest_path(path: Path) -> Path:
    """``_eqsnn_x_<key>.sha256`` beside ``_eqsnn_x_<key>.<ext>``."""
    return path.parent / (path.name.split(".")[0] + ".sha256")


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_digest(digest_file: Path, module: Path) -> None:
    digest_file.write_text(file_digest(module), encoding="ascii")


def _expected_digest(path: Path) -> str | None:
    try:
        text = digest_path(path).read_bytes().decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if len(text) == 64 and set(text) <= _HEX else None


def intact(path: Path) -> bool:
    """Whether the module file at ``path`` is exactly what its builder wrote, and whole."""
    expected = _expected_digest(path)
    if expected is None:
        return False
    try:
        return file_digest(path) == expected and elf_complete(path)
    except OSError:
        return False


def elf_complete(path: Path) -> bool:
    """``False`` for an ELF file shorter than its header says (segments or section table
    past its end) or with a damaged header; ``True`` for a whole one and for non-ELF files
    (Mach-O, PE: not checked here, the digest still is)."""
    with open(path, "rb") as handle:
        ident = handle.read(16)
        if ident[:4] != _ELF_MAGIC:
            return len(ident) > 0 and not _ELF_MAGIC.startswith(ident[:4])
        size = path.stat().st_size
        if ident[4] not in (1, 2) or ident[5] not in (1, 2):
            return False
        wide, order = ident[4] == 2, "<" if ident[5] == 1 else ">"
        header = handle.read(48 if wide else 36)
        if len(header) < (48 if wide else 36):
            return False
        # e_type e_machine e_version e_entry e_phoff e_shoff e_flags e_ehsize
        # e_phentsize e_phnum e_shentsize e_shnum e_shstrndx
        fields = struct.unpack(order + ("HHIQQQIHHHHHH" if wide else "HHIIIIIHHHHHH"), header)
        phoff, shoff, phentsize, phnum, shentsize, shnum = (fields[4], fields[5], fields[8],
                                                            fields[9], fields[10], fields[11])
        if phoff + phentsize * phnum > size or shoff + shentsize * shnum > size:
            return False
        segment = struct.Struct(order + ("IIQQQQQQ" if wide else "IIIIIIII"))
        if phnum and phentsize < segment.size:
            return False
        for k in range(phnum):
            handle.seek(phoff + k * phentsize)
            entry = segment.unpack(handle.read(segment.size))
            # 64-bit: p_type p_flags p_offset ... p_filesz; 32-bit: p_type p_offset ... p_filesz
            p_type, offset, filesz = (entry[0], entry[2], entry[5]) if wide else \
                (entry[0], entry[1], entry[4])
            if p_type == _PT_LOAD and offset + filesz > size:
                return False
    return True
