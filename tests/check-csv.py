#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads a CSV export as a spreadsheet or a program would, with Python's csv
module, and checks it: the dialect (separator, decimal mark, byte order
mark), seven fields a record, amounts that read as numbers, and no cell a
spreadsheet would run as a formula.

    check-csv.py spreadsheet-comma|spreadsheet-point|rfc4180 FILE AMOUNT

AMOUNT is an amount the report must hold, in reais with a point ("12.50"),
written as the dialect writes it.
"""
import csv
import sys

dialect, path, amount = sys.argv[1:4]
raw = open(path, 'rb').read()
bom = raw.startswith(b'\xef\xbb\xbf')
text = raw.decode('utf-8-sig')
if dialect == 'rfc4180':
    assert not bom, 'an RFC 4180 export has no byte order mark'
    delimiter, decimal = ',', '.'
else:
    assert bom, 'a spreadsheet export starts with the UTF-8 byte order mark'
    delimiter, decimal = (';', ',') if dialect == 'spreadsheet-comma' else (',', '.')
assert '\r\n' in text, 'records end with CRLF'
rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
assert rows[0] == ['section', 'key', 'label', 'count', 'amount', 'exits', 'refusals'], rows[0]
amounts = []
guarded = 0
for row in rows[1:]:
    assert len(row) == 7, row
    for cell in row:
        # What a spreadsheet runs: a cell starting with = + @ (or - not a number).
        assert not cell[:1] in ('=', '+', '@'), row
        if cell.startswith('-'):
            float(cell.replace(decimal, '.'))
        if cell.startswith("'") and cell[1:2] in ('=', '+', '-', '@'):
            guarded += 1
    if row[4]:
        assert (decimal == ',') == (',' in row[4]) or '.' not in row[4] and ',' not in row[4], row
        amounts.append(float(row[4].replace(decimal, '.')))
    for number in (row[3], row[5], row[6]):
        if number:
            int(number)
assert float(amount) in amounts, (amount, amounts)
assert guarded >= 1, 'the formula-like reason is kept as text'
print('%s: %d records, %d guarded' % (dialect, len(rows) - 1, guarded))
