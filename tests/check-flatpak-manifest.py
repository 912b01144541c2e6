#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest: a runtime still supported, every download
pinned, every module's build system able to build its source (a tag archive
has no configure script: autotools needs an autoreconf step), no library at a
version with known vulnerabilities unless their fixes are applied, the
terminal's own tree copied without its build trees, and no permission beyond
what the terminal needs. tests/check-flatpak-sources.py then builds it.

usage: check-flatpak-manifest.py MANIFEST.json
"""
import json
import re
import sys

APP_ID = "br.com.pdv.Terminal"

# What a point-of-sale terminal needs, and why:
ALLOWED_FINISH_ARGS = {
    "--share=ipc",            # X11 shared memory
    "--socket=wayland",
    "--socket=fallback-x11",
    "--share=network",        # synchronisation with the central server
    "--socket=cups",          # receipts sent raw to the CUPS server
    "--socket=pulseaudio",    # the door's verdict sounds
    "--device=all",           # the door camera (/dev/video*) and the GPU
}

# GNOME runtimes Flathub no longer updates.
END_OF_LIFE_BEFORE = 50

# Versions with known vulnerabilities in code the terminal runs, and the
# fixes that must be applied to build them: the door feeds zbar's QR decoder
# with strangers' codes.
VULNERABLE = {
    ("zbar", "0.23.92"): ["CVE-2023-40889", "CVE-2023-40890"],
}

BUILD_SYSTEMS = {"autotools", "cmake", "cmake-ninja", "meson", "simple"}

SHA256 = re.compile(r"^[0-9a-f]{64}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")

problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


def check_source(module, index, source):
    where = f"module {module!r}, source {index}"
    kind = source.get("type")
    if kind in ("archive", "file"):
        if not source.get("url", "").startswith("https://"):
            problem(where, "is not downloaded over https")
        for mirror in source.get("mirror-urls", []):
            if not mirror.startswith("https://"):
                problem(where, f"has a mirror not over https: {mirror}")
        if not SHA256.match(source.get("sha256", "")):
            problem(where, "has no sha256 of 64 lower-case hex digits")
    elif kind == "git":
        if not COMMIT.match(source.get("commit", "")):
            problem(where, "is a git source without a full commit id")
    elif kind == "dir":
        # Only the terminal itself is built from the tree the manifest is in.
        if module != "pdv" or source.get("path") != "..":
            problem(where, "is a local directory, allowed only for pdv itself")
        # The developer's build trees (hundreds of MB) stay out of the sandbox.
        for tree in ("build", "build-asan", ".git"):
            if tree not in source.get("skip", []):
                problem(where, f"copies the {tree} folder into the sandbox (add it to skip)")
    elif kind in ("shell", "patch"):
        if kind == "patch" and "path" not in source:
            problem(where, "is a patch that is not in the repository")
    else:
        problem(where, f"has a source type ({kind!r}) this check does not know")


def check_build(name, module, sources):
    system = module.get("buildsystem", "autotools")
    commands = " ; ".join(c for s in sources if s.get("type") == "shell" for c in s.get("commands", []))
    if system not in BUILD_SYSTEMS:
        problem(name, f"has a build system flatpak-builder does not know: {system}")
    # A tag archive (GitHub's /archive/) is the repository, without the
    # configure script a release tarball carries.
    tag_archive = any("/archive/" in s.get("url", "") for s in sources if s.get("type") == "archive")
    if system == "autotools" and tag_archive and "autoreconf" not in commands and "autogen" not in commands:
        problem(name, "is an autotools tag archive without an autoreconf step: it has no configure script")
    for (library, version), fixes in VULNERABLE.items():
        if name == library and any(version in s.get("url", "") for s in sources):
            for fix in fixes:
                if fix not in commands:
                    problem(name, f"{version} has {fix} and the fix is not applied")


def check_modules(modules, seen):
    for module in modules:
        if isinstance(module, str):
            problem(module, "modules must be inline, so that this check sees their sources")
            continue
        name = module.get("name", "?")
        if name in seen:
            problem(name, "is built twice")
        seen.add(name)
        sources = module.get("sources", [])
        if not sources:
            problem(name, "has no sources")
        for index, source in enumerate(sources):
            check_source(name, index, source)
        check_build(name, module, sources)
        check_modules(module.get("modules", []), seen)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)

    if manifest.get("id", manifest.get("app-id")) != APP_ID:
        problem("id", f"is not {APP_ID}")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problem("runtime", "is not the GNOME runtime and SDK")
    # A runtime still updated; the code's API pins (GTK 4.8, libadwaita 1.2)
    # stay, and newer GTK runs it.
    version = manifest.get("runtime-version", "")
    if not version.isdigit() or int(version) < END_OF_LIFE_BEFORE:
        problem("runtime-version", f"{version!r} is an end-of-life GNOME runtime (needs {END_OF_LIFE_BEFORE} or later)")
    if manifest.get("command") != "pdv":
        problem("command", "is not pdv")

    finish_args = manifest.get("finish-args", [])
    for arg in finish_args:
        if arg not in ALLOWED_FINISH_ARGS:
            problem("finish-args", f"{arg} is not among the permissions the terminal needs")
    for needed in ("--socket=wayland", "--socket=fallback-x11", "--share=network", "--socket=cups"):
        if needed not in finish_args:
            problem("finish-args", f"{needed} is missing")

    seen = set()
    check_modules(manifest.get("modules", []), seen)
    if not manifest.get("modules") or manifest["modules"][-1].get("name") != "pdv":
        problem("modules", "do not end with pdv itself")
    else:
        opts = manifest["modules"][-1].get("config-opts", [])
        # The terminal has no use for the sync server (and libpq), nor the tests.
        for opt in ("-Dserver=false", "-Dtests=false"):
            if opt not in opts:
                problem("pdv", f"is not configured with {opt}")

    for line in problems:
        print(line)
    print(f"{len(seen)} modules checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
