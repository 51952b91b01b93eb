"""Draws the kernel's logos (nns_kernel/resources/logo-32x32.png, logo-64x64.png, logo-svg.svg):
a 2-3-1 network on a dark square. Standard library only; run it again after changing the drawing."""

import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "nns_kernel", "resources")
BACKGROUND = (31, 58, 96)
EDGE = (140, 190, 240)
NODE = (255, 200, 60)
# Units in a unit square: inputs, hidden, output.
LAYERS = [[(0.2, 0.35), (0.2, 0.65)], [(0.5, 0.22), (0.5, 0.5), (0.5, 0.78)], [(0.8, 0.5)]]
RADIUS = 0.085
WIDTH = 0.035


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def coverage(inside, samples=4):
    """The share of a pixel's sub-samples for which inside(x, y) holds (anti-aliasing)."""
    return lambda x, y, n: sum(inside(x + (i + 0.5) / samples / n, y + (j + 0.5) / samples / n)
                               for i in range(samples) for j in range(samples)) / samples ** 2


def mix(a, b, t):
    return tuple(round(a[k] * (1 - t) + b[k] * t) for k in range(3))


def pixel(x, y, n):
    edges = [(a, b) for left, right in zip(LAYERS, LAYERS[1:]) for a in left for b in right]
    on_edge = coverage(lambda u, v: any(segment_distance(u, v, *a, *b) < WIDTH / 2 for a, b in edges))
    on_node = coverage(lambda u, v: any(math.hypot(u - cx, v - cy) < RADIUS for layer in LAYERS for cx, cy in layer))
    corner = 0.16   # rounded square
    in_square = coverage(lambda u, v: math.hypot(max(corner - u, u - 1 + corner, 0), max(corner - v, v - 1 + corner, 0)) < corner)
    colour = mix(BACKGROUND, EDGE, on_edge(x, y, n))
    colour = mix(colour, NODE, on_node(x, y, n))
    return colour + (round(255 * in_square(x, y, n)),)


def png(n):
    rows = b"".join(b"\x00" + bytes(c for x in range(n) for c in pixel(x / n, y / n, n)) for y in range(n))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def svg():
    def hex_colour(c):
        return "#%02x%02x%02x" % c
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 1 1">',
             f'<rect width="1" height="1" rx="0.16" fill="{hex_colour(BACKGROUND)}"/>']
    for left, right in zip(LAYERS, LAYERS[1:]):
        for a in left:
            for b in right:
                parts.append(f'<line x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}" '
                             f'stroke="{hex_colour(EDGE)}" stroke-width="{WIDTH}"/>')
    for layer in LAYERS:
        for cx, cy in layer:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{RADIUS}" fill="{hex_colour(NODE)}"/>')
    return "\n".join(parts + ["</svg>\n"])


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for n in (32, 64):
        with open(os.path.join(OUT, f"logo-{n}x{n}.png"), "wb") as f:
            f.write(png(n))
    with open(os.path.join(OUT, "logo-svg.svg"), "w") as f:
        f.write(svg())
