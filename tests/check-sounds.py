#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The door's verdict sounds are equally loud: door staff must hear "refused"
as well as "valid". Loudness is measured as ITU-R BS.1770 does (K-weighted
mean square, in LUFS) over the part of each sound that is not silence, and
must agree within 1 LU; no sound may peak above -1 dBFS.

usage: check-sounds.py DIR"""
import math
import struct
import sys
import wave

SOUNDS = ("accepted", "warning", "refused")


def biquad(samples, b, a):
    out = []
    x1 = x2 = y1 = y2 = 0.0
    for x in samples:
        y = b[0] * x + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
        out.append(y)
        x2, x1, y2, y1 = x1, x, y1, y
    return out


def k_weighted(samples, rate):
    # BS.1770's two stages, for any sample rate.
    f0, gain, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0)
    shelf_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    high_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    return biquad(biquad(samples, shelf, shelf_a), (1.0, -2.0, 1.0), high_a)


def read(path):
    with wave.open(path) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            sys.exit(f"{path}: expected 16-bit mono")
        frames = w.readframes(w.getnframes())
        rate = w.getframerate()
    samples = [x / 32768 for x in struct.unpack(f"<{len(frames) // 2}h", frames)]
    return samples, rate


def loudness(samples, rate):
    """LUFS over the 10 ms windows within 20 dB of the loudest one."""
    weighted = k_weighted(samples, rate)
    win = rate // 100
    squares = [sum(x * x for x in weighted[i:i + win]) / win for i in range(0, len(weighted) - win + 1, win)]
    top = max(squares)
    active = [s for s in squares if s >= top / 100]
    return -0.691 + 10 * math.log10(sum(active) / len(active))


def main():
    directory = sys.argv[1]
    levels = {}
    failed = False
    for name in SOUNDS:
        samples, rate = read(f"{directory}/{name}.wav")
        peak = 20 * math.log10(max(abs(x) for x in samples))
        levels[name] = loudness(samples, rate)
        print(f"{name}: {levels[name]:.1f} LUFS, peak {peak:.1f} dBFS")
        if peak > -1.0:
            print(f"{name}: peaks above -1 dBFS")
            failed = True
    spread = max(levels.values()) - min(levels.values())
    print(f"spread {spread:.2f} LU")
    if spread > 1.0:
        print("the sounds differ in loudness by more than 1 LU")
        failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
