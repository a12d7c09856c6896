# Mandelbrot bands (strong scaling): escape-time iteration counts of a SIZE-row x 200-column
# image of the Mandelbrot set (at most 100 iterations per pixel), rows dealt round-robin to the
# threads (row r to thread r % THREADS, so every thread gets a similar share of the costly rows
# near the axis).  Each thread keeps its row totals in a local list and publishes it once.
#
# usage: mt_mandelbrot.py THREADS [ROWS]
import benchlib

WIDTH = 200
MAXITER = 100

nthreads, rows = benchlib.args(1000)
bands = [None] * nthreads


def row_count(y):
    ci = -1.25 + 2.5 * y / rows
    total = 0
    for x in range(WIDTH):
        cr = -2.0 + 2.6 * x / WIDTH
        zr = zi = 0.0
        n = 0
        while n < MAXITER:
            zr2 = zr * zr
            zi2 = zi * zi
            if zr2 + zi2 > 4.0:
                break
            zi = 2.0 * zr * zi + ci
            zr = zr2 - zi2 + cr
            n += 1
        total += n
    return total


def work(k):
    mine = []
    for y in range(k, rows, nthreads):
        mine.append((y, row_count(y)))
    bands[k] = mine


benchlib.run_threads(nthreads, work)
pixels = 0
weighted = 0
for band in bands:
    for y, count in band:
        pixels += count
        weighted += (y + 1) * count
benchlib.finish("mt_mandelbrot", pixels, weighted)
