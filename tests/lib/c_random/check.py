import os, subprocess, sys, random
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import _random_py as R
seeds = [0, 1, 2, 5, 42, -7, 2**32 - 1, 2**32, 2**61 - 1, -(2**61), 2**62, 2**64 + 5, -(10**40),
         10**100, 2**64 - 1, 2**96]
args = []
for s in seeds:
    if -(2**61) <= s < 2**61:
        args.append(str(s))
    else:
        args.append('h' + ('-' if s < 0 else '') + '%x' % abs(s))
out = subprocess.run([sys.argv[1] if len(sys.argv) > 1 else '/tmp/mod_random_driver'] + args, capture_output=True, text=True).stdout.splitlines()
exp = []
def fmt(v):
    if isinstance(v, float): return repr(v)
    return str(v)
ks = [0, 1, 7, 31, 32, 33, 63, 64, 65, 100, 1000]
for s, a in zip(seeds, args):
    st = R.new(); R.seed(st, s)
    cr = random.Random(s)
    exp.append('seed ' + a)
    for j in range(5):
        x = R.random(st); assert x == cr.random(); exp.append(x)
    for k in ks:
        x = R.getrandbits(st, k); assert x == cr.getrandbits(k); exp.append(x)
    for j in range(700): R.random(st)
    exp.append(R.getstate(st)); exp.append(None); exp.append(R.random(st))
n = 0; bad = 0
def parse(line):
    if line.startswith('0x'): return int(line, 16)
    if line == 'None': return None
    if line.startswith('seed') or line.startswith('raised'): return line
    if ' ' in line.strip() or line.endswith(' '): return tuple(int(x) for x in line.split())
    try: return int(line)
    except ValueError: return float(line)
for i, e in enumerate(exp):
    g = parse(out[i])
    n += 1
    if g != e:
        bad += 1; print('MISMATCH', i, repr(out[i])[:100], repr(e)[:100])
print(out[len(exp):])
print(n, 'compared,', bad, 'mismatched')
