#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Walks the running terminal's accessibility tree as a screen reader sees
it (AT-SPI), and checks what a person who cannot see the screen, or who
works with the keyboard, needs: every control has a name that reads well
(not empty, not a toolkit class, no mnemonic underscore, not said twice),
and the focus lands only on what can be used.

It checks the main window (GTK 4.8 puts every page of it in the tree, the
hidden ones too), logs in with the PIN pad, rings a product up and checks
the payment window.

    check-atspi.py   (the terminal runs; its shift is open for Ana, PIN 1111)
"""
import re
import sys
import time

import pyatspi

CONTROLS = {'push button', 'toggle button', 'check box', 'radio button', 'spin button', 'entry', 'text',
            'password text', 'combo box', 'page tab', 'slider', 'link', 'menu item', 'list', 'table',
            'tree table'}
# Roles that only hold others: the focus never belongs there.
WRAPPERS = {'table cell', 'filler', 'panel', 'list item'}
CLASS_NAME = re.compile(r'^(Gtk|Adw|Pdv)[A-Z][A-Za-z]*$')
MNEMONIC = re.compile(r'(^|\s)\S*_[A-Za-z]')
problems = []


def deadline(what, seconds, probe):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = probe()
        if found:
            return found
        time.sleep(0.1)
    for problem in problems:
        print('FAIL: ' + problem)
    sys.exit('FAIL: %s did not happen within %d s' % (what, seconds))


def application():
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name == 'pdv':
            return app
    return None


def visible(node):
    return node.getState().contains(pyatspi.STATE_VISIBLE)


def nodes(node):
    """The visible subtree of @node."""
    if node is None or not visible(node):
        return
    yield node
    for i in range(node.childCount):
        yield from nodes(node.getChildAtIndex(i))


def path(node):
    parts = []
    while node is not None and node.getRoleName() != 'application':
        if node.name and not CLASS_NAME.match(node.name):
            parts.append(node.name)
        node = node.parent
    return ' › '.join(reversed(parts[:3]))


def check(window, where):
    checked = 0
    for node in nodes(window):
        role = node.getRoleName()
        name = node.name or ''
        focusable = node.getState().contains(pyatspi.STATE_FOCUSABLE)
        if role in CONTROLS:
            checked += 1
            half = name[:len(name) // 2].strip()
            if not name.strip() or CLASS_NAME.match(name):
                problems.append('%s: a %s has no name (in %s)' % (where, role, path(node.parent)))
            elif MNEMONIC.search(name):
                problems.append('%s: the %s "%s" is read with its mnemonic underscore' % (where, role, name))
            elif half and name == half + ' ' + half:
                problems.append('%s: the %s "%s" is read twice' % (where, role, name))
        elif focusable and role in WRAPPERS and not actions(node):
            inner = [n.getRoleName() for n in nodes(node) if n is not node and n.getRoleName() in CONTROLS]
            if inner:
                problems.append('%s: the focus can land on a %s around a %s (in %s), where keys do nothing'
                                % (where, role, inner[0], path(node)))
        elif focusable and role == 'label' and (not name.strip() or CLASS_NAME.match(name)):
            problems.append('%s: an empty label takes the focus (in %s)' % (where, path(node.parent)))
    print('%s: %d controls checked' % (where, checked))
    return checked


def actions(node):
    try:
        return node.queryAction().nActions
    except NotImplementedError:
        return 0


def find(root, role, name_test):
    for node in nodes(root):
        if node.getRoleName() == role and name_test(node.name or ''):
            return node
    return None


def press(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'activate', 'press'):
            action.doAction(i)
            return
    action.doAction(0)


def frames(app):
    return [app.getChildAtIndex(i) for i in range(app.childCount)
            if app.getChildAtIndex(i) is not None and visible(app.getChildAtIndex(i))]


app = deadline('the terminal showing on the accessibility bus', 60, application)
main = deadline('its window', 30, lambda: next((f for f in frames(app) if f.getRoleName() == 'frame'), None))
tile = deadline('the login tiles', 30, lambda: find(main, 'push button', lambda n: n.startswith('Ana Souza')))
if check(main, 'main window') < 40:
    problems.append('main window: fewer controls than its pages have')

press(tile)
for key in '1111K':
    press(deadline('the PIN pad', 30,
                   lambda: find(main, 'push button', lambda n: n == (key if key != 'K' else 'OK'))))
product = deadline('the product grid after logging in', 30,
                   lambda: find(main, 'push button', lambda n: n.startswith('Cerveja Lata 350')))
check(main, 'main window, logged in')
press(product)
pay = find(main, 'push button', lambda n: n == 'Pay')
press(pay)
payment = deadline('the payment window', 30,
                   lambda: next((f for f in frames(app) if f is not None and f != main and
                                 find(f, 'push button', lambda n: n.startswith('Exact amount'))), None))
check(payment, 'payment window')

for problem in problems:
    print('FAIL: ' + problem)
sys.exit(1 if problems else 0)
