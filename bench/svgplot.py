"""svgplot — a small SVG line-chart writer for bench/run's scaling plots (no third-party modules).

One chart: speedup (y, linear from 0) against thread count (x, log2-spaced so 1, 2, 4, 8 are
evenly apart), one coloured polyline with point markers per implementation, and the ideal
speedup drawn dashed.  The output is plain SVG 1.1 text that browsers and GitHub render.
"""
import math
from xml.sax.saxutils import escape

# Colour-blind-safe palette (Okabe-Ito), assigned to series in order.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
MARKERS = ["circle", "square", "diamond", "triangle"]


def _fmt(v):
    return ("%.2f" % v).rstrip("0").rstrip(".")


def _nice_step(span, want):
    """A round tick step (1, 2 or 5 times a power of ten) giving about `want` ticks over span."""
    raw = span / max(want, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _marker(kind, x, y, colour):
    r = 3.5
    if kind == "square":
        return '<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>' % (
            x - r, y - r, 2 * r, 2 * r, colour)
    if kind == "diamond":
        pts = "%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" % (x, y - r - 1, x + r + 1, y, x, y + r + 1,
                                                       x - r - 1, y)
        return '<polygon points="%s" fill="%s"/>' % (pts, colour)
    if kind == "triangle":
        pts = "%.1f,%.1f %.1f,%.1f %.1f,%.1f" % (x, y - r - 1, x + r + 1, y + r, x - r - 1, y + r)
        return '<polygon points="%s" fill="%s"/>' % (pts, colour)
    return '<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>' % (x, y, r, colour)


def scaling_chart(title, subtitle, threads, series, ideal, ylabel="speedup vs 1 thread",
                  limit=None, limit_label=None):
    """SVG text of one scaling chart.

    threads: the x values (thread counts, ascending).  series: list of (label, [y or None per
    thread count]); a None leaves a gap.  ideal: the dashed reference values per thread count
    (None to omit).  limit: a dotted horizontal line (e.g. the CPU count, the most any speedup
    can reach), with limit_label in the legend."""
    width, height = 560, 360
    left, right, top, bottom = 62, 150, 48, 50
    pw, ph = width - left - right, height - top - bottom

    ys = [y for _, vals in series for y in vals if y is not None]
    if ideal:
        ys += [y for y in ideal if y is not None]
    if limit is not None:
        ys.append(limit)
    ymax = max(ys) if ys else 1.0
    step = _nice_step(ymax, 5)
    ytop = step * math.ceil(ymax * 1.05 / step) if ymax > 0 else 1.0

    lx = [math.log2(t) for t in threads]
    x0, x1 = min(lx), max(lx)
    if x1 == x0:
        x1 = x0 + 1

    def px(t):
        return left + (math.log2(t) - x0) / (x1 - x0) * pw

    def py(v):
        return top + ph - v / ytop * ph

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">' % (width, height, width,
                                                                               height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="15" font-weight="bold">%s</text>' % (left,
                                                                               escape(title))]
    if subtitle:
        out.append('<text x="%d" y="37" fill="#555">%s</text>' % (left, escape(subtitle)))
    # grid and y ticks
    v = 0.0
    while v <= ytop + 1e-9:
        y = py(v)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y,
                                                                                  left + pw, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 6, y + 4, _fmt(v)))
        v += step
    for t in threads:
        x = px(t)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#eee"/>' % (x, top, x,
                                                                                  top + ph))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (x, top + ph + 16, t))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>' % (
        left, top, pw, ph))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">threads</text>' % (left + pw / 2,
                                                                             height - 12))
    out.append('<text transform="translate(16,%.1f) rotate(-90)" text-anchor="middle">%s</text>' % (
        top + ph / 2, escape(ylabel)))

    legend = []
    if ideal:
        pts = " ".join("%.1f,%.1f" % (px(t), py(v)) for t, v in zip(threads, ideal)
                       if v is not None)
        out.append('<polyline points="%s" fill="none" stroke="#888" stroke-width="1.5" '
                   'stroke-dasharray="6,4"/>' % pts)
        legend.append(("ideal", "#888", None, True))
    if limit is not None:
        y = py(limit)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#b00" stroke-width="1" '
                   'stroke-dasharray="2,3"/>' % (left, y, left + pw, y))
        legend.append((limit_label or "limit", "#b00", None, "dotted"))
    for i, (label, vals) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        marker = MARKERS[i % len(MARKERS)]
        # one polyline per run of consecutive values, so a missing point leaves a gap
        run, marks = [], []
        for t, val in list(zip(threads, vals)) + [(None, None)]:
            if val is None:
                if len(run) > 1:
                    out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>'
                               % (" ".join("%.1f,%.1f" % p for p in run), colour))
                run = []
                continue
            run.append((px(t), py(val)))
            marks.append(_marker(marker, px(t), py(val), colour))
        out.extend(marks)           # on top of the lines
        legend.append((label, colour, marker, False))
    ly = top + 8
    for label, colour, marker, dashed in legend:
        lx0 = left + pw + 14
        if dashed:
            out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1.5" '
                       'stroke-dasharray="%s"/>' % (lx0, ly, lx0 + 24, ly, colour,
                                                    "2,3" if dashed == "dotted" else "6,4"))
        else:
            out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>' % (
                lx0, ly, lx0 + 24, ly, colour))
            out.append(_marker(marker, lx0 + 12, ly, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (lx0 + 30, ly + 4, escape(label)))
        ly += 20
    out.append("</svg>")
    return "\n".join(out) + "\n"
