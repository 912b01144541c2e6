#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Text contrast of the door's screen, computed from the stylesheet as GTK
draws it (colours, alpha and opacity composited over what lies below), in
light and dark styles: WCAG 2's 4.5:1 for text, 3:1 for large text (24 px,
or 18.66 px bold).

    check-contrast.py UI_DIR   (style.css, and style-dark.css over it)
"""
import os
import re
import sys

# libadwaita 1.2's named colours.
NAMED = {
    'light': {'window_bg_color': (0xfa, 0xfa, 0xfa, 1), 'window_fg_color': (0, 0, 0, 0.8),
              'error_color': (0xc0, 0x1c, 0x28, 1), 'warning_color': (0x9c, 0x6e, 0x03, 1),
              'success_color': (0x1b, 0x85, 0x53, 1), 'accent_color': (0x1c, 0x71, 0xd8, 1)},
    'dark': {'window_bg_color': (0x24, 0x24, 0x24, 1), 'window_fg_color': (0xff, 0xff, 0xff, 1),
             'error_color': (0xff, 0x7b, 0x63, 1), 'warning_color': (0xf8, 0xe4, 0x5c, 1),
             'success_color': (0x8f, 0xf0, 0xa4, 1), 'accent_color': (0x78, 0xae, 0xed, 1)},
}
BASE_PX = 11 * 96 / 72   # the default 11 pt font

# What is checked: the text's rule (its colour, size, weight, opacity; the
# later ones win), and the rule giving the background it is drawn on.
CHECKS = [
    ('idle verdict: title', ['.door-verdict.verdict-idle', '.door-verdict.verdict-idle .verdict-title'],
     ['.door-verdict.verdict-idle']),
    ('idle verdict: detail', ['.door-verdict.verdict-idle', '.door-verdict .verdict-detail',
                              '.door-verdict.verdict-idle .verdict-detail'], ['.door-verdict.verdict-idle']),
    ('idle verdict: meta', ['.door-verdict.verdict-idle', '.door-verdict .verdict-meta'],
     ['.door-verdict.verdict-idle']),
] + [
    ('%s verdict: %s' % (state, part), ['.door-verdict.verdict-%s' % state, '.door-verdict .verdict-%s' % part],
     ['.door-verdict.verdict-%s' % state])
    for state in ('accepted', 'warning', 'refused', 'exited') for part in ('headline', 'detail', 'meta')
] + [
    # The compact form, on small screens and with large text.
    ('%s compact: %s' % (state, part), ['.door-verdict.verdict-%s' % state, '.door-verdict .verdict-%s' % part,
                                        '.door-verdict.compact .verdict-%s' % part],
     ['.door-verdict.verdict-%s' % state])
    for state in ('accepted', 'warning', 'refused', 'exited') for part in ('detail', 'meta')
] + [
    ('occupancy near full', ['.door-counter .counter-value', '.door-counters.occupancy-near .inside .counter-value'],
     []),
    ('occupancy full', ['.door-counter .counter-value', '.door-counters.occupancy-full .inside .counter-value'], []),
    ('counter caption', ['.door-counter .counter-caption'], []),
    ('gate name', ['.door-gate'], []),
    ('badge near full', ['.occupancy-badge', '.door-counters.occupancy-near .occupancy-badge'],
     ['.door-counters.occupancy-near .occupancy-badge']),
    ('badge full', ['.occupancy-badge', '.door-counters.occupancy-full .occupancy-badge'],
     ['.door-counters.occupancy-full .occupancy-badge']),
]


def parse(path):
    rules = {}
    if not os.path.exists(path):
        return rules
    text = re.sub(r'/\*.*?\*/', '', open(path, encoding='utf-8').read(), flags=re.S)
    for selectors, body in re.findall(r'([^{}@]+)\{([^{}]*)\}', text):
        props = dict((k.strip(), v.strip()) for k, v in re.findall(r'([\w-]+)\s*:\s*([^;]+);', body))
        for selector in selectors.split(','):
            rules.setdefault(' '.join(selector.split()), {}).update(props)
    return rules


def colour(value, style):
    value = value.strip()
    m = re.match(r'alpha\((.+),\s*([\d.]+)\)$', value)
    if m:
        r, g, b, a = colour(m.group(1), style)
        return (r, g, b, a * float(m.group(2)))
    if value.startswith('@'):
        return NAMED[style][value[1:]]
    if value == 'white':
        return (255, 255, 255, 1)
    if value == 'black':
        return (0, 0, 0, 1)
    m = re.match(r'#([0-9a-fA-F]{6})$', value)
    if m:
        h = m.group(1)
        return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1)
    sys.exit('check-contrast: cannot read the colour %r' % value)


def over(top, below):
    r, g, b, a = top
    return tuple(c * a + d * (1 - a) for c, d in zip((r, g, b), below[:3])) + (1,)


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def size_px(value):
    m = re.match(r'([\d.]+)(px|em)$', value)
    return float(m.group(1)) * (BASE_PX if m.group(2) == 'em' else 1)


ui = sys.argv[1]
light = parse(os.path.join(ui, 'style.css'))
dark = dict((k, dict(v)) for k, v in light.items())
for selector, props in parse(os.path.join(ui, 'style-dark.css')).items():
    dark.setdefault(selector, {}).update(props)

failures = 0
for style, rules in (('light', light), ('dark', dark)):
    for label, text_rules, bg_rules in CHECKS:
        props = {}
        for selector in text_rules:
            if selector not in rules:
                sys.exit('check-contrast: no rule %s in the stylesheet' % selector)
            props.update(rules[selector])
        window = NAMED[style]['window_bg_color']
        background = window
        for selector in bg_rules:
            if 'background-color' in rules[selector]:
                background = over(colour(rules[selector]['background-color'], style), window)
        fg = colour(props.get('color', '@window_fg_color'), style)
        fg = (fg[0], fg[1], fg[2], fg[3] * float(props.get('opacity', 1)))
        drawn = over(fg, background)
        px = size_px(props.get('font-size', '1em'))
        weight = props.get('font-weight', 'normal')
        bold = weight == 'bold' or (weight.isdigit() and int(weight) >= 700)
        large = px >= 24 or (bold and px >= 18.66)
        need = 3 if large else 4.5
        got = ratio(drawn, background)
        ok = got >= need
        failures += not ok
        print('%s %-6s %-28s %5.2f:1 (needs %.1f:1, %.0f px%s)' % ('ok  ' if ok else 'FAIL', style, label, got, need,
                                                               px, ' bold' if bold else ''))
sys.exit(1 if failures else 0)
