#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds every module of the Flatpak manifest outside the sandbox, with the
manifest's own steps: each archive fetched from its address or a mirror the
manifest names and checked against its SHA-256, unpacked as flatpak-builder
does (one leading folder stripped, into its dest), its shell commands run,
then configured with its config-opts and built and installed by its build
system into one prefix that the next modules build against. pdv itself is
built last from this tree the same way, against that prefix. Where the GNOME
runtime cannot be fetched, this is the proof that the manifest builds.

usage: check-flatpak-sources.py MANIFEST SOURCE_ROOT WORK_DIR
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request

manifest_path, source_root, work = sys.argv[1:4]
manifest = json.load(open(manifest_path, encoding='utf-8'))
work = os.path.abspath(work)
prefix = os.path.join(work, 'prefix')
downloads = os.path.join(work, 'downloads')
os.makedirs(downloads, exist_ok=True)
env = dict(os.environ)
pkgconfig = [os.path.join(prefix, d, 'pkgconfig') for d in ('lib', 'lib64', 'lib/x86_64-linux-gnu', 'share')]
env['PKG_CONFIG_PATH'] = ':'.join(pkgconfig + [env.get('PKG_CONFIG_PATH', '')])
env['LD_LIBRARY_PATH'] = ':'.join([os.path.join(prefix, 'lib'), os.path.join(prefix, 'lib/x86_64-linux-gnu')])
jobs = str(os.cpu_count() or 2)


def run(args, cwd, shell=False):
    print('+ %s  (in %s)' % (args if shell else ' '.join(args), os.path.relpath(cwd, work)), flush=True)
    subprocess.run(args, cwd=cwd, env=env, shell=shell, check=True,
                   stdout=subprocess.DEVNULL if not os.environ.get('VERBOSE') else None)


def fetch(source):
    name = source.get('dest-filename') or os.path.basename(source['url'].split('?')[0]).replace('%2B', '+')
    path = os.path.join(downloads, name)
    for url in [source['url']] + source.get('mirror-urls', []):
        if os.path.exists(path) and hashlib.sha256(open(path, 'rb').read()).hexdigest() == source['sha256']:
            break
        try:
            with urllib.request.urlopen(url, timeout=60) as response, open(path, 'wb') as out:
                shutil.copyfileobj(response, out)
            print('fetched %s' % url, flush=True)
        except OSError as error:
            print('could not fetch %s: %s' % (url, error), flush=True)
            continue
    digest = hashlib.sha256(open(path, 'rb').read()).hexdigest() if os.path.exists(path) else None
    if digest != source['sha256']:
        sys.exit('FAIL: %s: no address gave the SHA-256 the manifest pins (%s)' % (name, digest))
    return path


def unpack(path, into, strip):
    os.makedirs(into, exist_ok=True)
    with tarfile.open(path) as archive:
        for member in archive.getmembers():
            parts = member.name.split('/')[strip:]
            if not parts or parts == ['']:
                continue
            member.name = '/'.join(parts)
            archive.extract(member, into, filter='tar') if hasattr(tarfile, 'data_filter') else archive.extract(member, into)


def build(module):
    name = module['name']
    system = module.get('buildsystem', 'autotools')
    opts = module.get('config-opts', [])
    src = os.path.join(work, 'src', name)
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    for source in module.get('sources', []):
        kind = source['type']
        if kind == 'archive':
            unpack(fetch(source), os.path.join(src, source.get('dest', '')), source.get('strip-components', 1))
        elif kind == 'shell':
            for command in source['commands']:
                run(command, src, shell=True)
        elif kind == 'patch':
            run(['patch', '-p1', '-i', os.path.join(os.path.dirname(manifest_path), source['path'])], src)
        elif kind == 'dir':
            src = os.path.normpath(os.path.join(os.path.dirname(manifest_path), source['path']))
            if os.path.realpath(src) != os.path.realpath(source_root):
                sys.exit('FAIL: %s: a dir source other than this tree' % name)
        else:
            sys.exit('FAIL: %s: a %s source this check cannot build' % (name, kind))
    build_dir = os.path.join(work, 'build', name)
    shutil.rmtree(build_dir, ignore_errors=True)
    os.makedirs(build_dir)
    if system == 'autotools':
        if not os.path.exists(os.path.join(src, 'configure')):
            sys.exit('FAIL: %s: no configure script after its sources (an autoreconf step is missing)' % name)
        run([os.path.join(src, 'configure'), '--prefix=' + prefix] + opts, build_dir)
        run(['make', '-j' + jobs], build_dir)
        run(['make', 'install'], build_dir)
    elif system == 'cmake-ninja':
        run(['cmake', '-G', 'Ninja', '-DCMAKE_INSTALL_PREFIX=' + prefix, '-DCMAKE_INSTALL_LIBDIR=lib'] + opts + [src],
            build_dir)
        run(['ninja'], build_dir)
        run(['ninja', 'install'], build_dir)
    elif system == 'meson':
        run(['meson', 'setup', '--prefix=' + prefix, '--libdir=lib'] + opts + [build_dir, src], work)
        run(['ninja', '-C', build_dir], work)
        run(['meson', 'install', '-C', build_dir, '--no-rebuild', '--quiet'], work)
    else:
        sys.exit('FAIL: %s: the build system %s is not one this check knows' % (name, system))
    print('ok: %s built and installed' % name, flush=True)


shutil.rmtree(prefix, ignore_errors=True)
for module in manifest['modules']:
    build(module)

# What was built runs, against the libraries built here.
pdvctl = os.path.join(prefix, 'bin', 'pdvctl')
version = subprocess.run([pdvctl, '--version'], env=env, check=True, capture_output=True, text=True).stdout.strip()
linked = subprocess.run(['ldd', pdvctl], env=env, check=True, capture_output=True, text=True).stdout
for library in ('libzbar', 'libjansson', 'libsodium', 'libqrencode'):
    line = next((l for l in linked.splitlines() if library in l), '')
    if prefix not in line:
        sys.exit('FAIL: pdvctl does not use the %s built here: %s' % (library, line.strip() or 'not linked'))
print('ok: %s runs with the modules built here' % version)
