# String/dict workload: generate a deterministic pseudo-random text from a
# syllable vocabulary, then count words and word pairs with dicts, build
# and split strings, sort by frequency and format a report.
#
# usage: strdict.py [threads-ignored] [words]

import sys

DEFAULT = 400000

SYLLABLES = ["ka", "to", "ri", "mon", "el", "sa", "qua", "di", "nor", "pe",
             "lu", "shi", "an", "vo", "tes", "gra", "bi", "ox", "fen", "ul"]


class Lcg:
    """Small deterministic generator (no dependence on the random module)."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return (self.state >> 8) % bound


def make_vocabulary(rng, size):
    words = []
    seen = {}
    while len(words) < size:
        parts = [SYLLABLES[rng.next(len(SYLLABLES))]
                 for _ in range(1 + rng.next(3))]
        w = "".join(parts)
        if w not in seen:
            seen[w] = len(words)
            words.append(w)
    return words


def make_text(rng, vocab, nwords):
    v = len(vocab)
    lines = []
    line = []
    for i in range(nwords):
        # skewed choice: small indexes are much more frequent
        a = rng.next(v)
        b = rng.next(v)
        w = vocab[a * b // v]
        r = rng.next(20)
        if r == 0:
            w = w.capitalize()
        elif r == 1:
            w = w + ","
        elif r == 2:
            w = w + "."
        line.append(w)
        if len(line) >= 8 + rng.next(8):
            lines.append(" ".join(line))
            line = []
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines)


def count_words(text):
    counts = {}
    pairs = {}
    prev = None
    for line in text.split("\n"):
        for raw in line.split():
            w = raw.strip(".,").lower()
            counts[w] = counts.get(w, 0) + 1
            if prev is not None:
                key = prev + " " + w
                if key in pairs:
                    pairs[key] += 1
                else:
                    pairs[key] = 1
            prev = w
            if raw.endswith("."):
                prev = None
    return counts, pairs


def by_count(item):
    return (-item[1], item[0])


def report(counts, pairs, top):
    out = []
    ranked = sorted(counts.items(), key=by_count)
    for rank, (w, c) in enumerate(ranked[:top]):
        out.append("%3d %-12s %6d" % (rank + 1, w, c))
    ranked_pairs = sorted(pairs.items(), key=by_count)
    for key, c in ranked_pairs[:top]:
        first, second = key.split(" ")
        out.append("%s+%s=%d" % (first.upper(), second, c))
    # words grouped by first letter, longest first
    groups = {}
    for w in counts:
        groups.setdefault(w[0], []).append(w)
    for letter in sorted(groups):
        ws = groups[letter]
        ws.sort(key=lambda s: (-len(s), s))
        out.append(letter + ":" + ",".join(ws[:3]) + ";" + str(len(ws)))
    return "\n".join(out)


def string_checksum(s):
    h = 0
    for ch in s:
        h = (h * 131 + ord(ch)) % 1000000007
    return h


def main():
    n = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT
    rng = Lcg(42)
    vocab = make_vocabulary(rng, 1500)
    text = make_text(rng, vocab, n)
    counts, pairs = count_words(text)
    rep = report(counts, pairs, 50)
    total = 0
    for c in counts.values():
        total += c
    print("strdict checksum %d words %d distinct %d pairs %d"
          % (string_checksum(rep), total, len(counts), len(pairs)))


main()
