# mkdir: mode's __index__ runs Python code that allocates; the path (a fresh str) must still be
# valid afterwards (stmvm's os.mkdir wraps _os.mkdir, so call the built-in directly there).
import os
try:
    import _os as osm
except ImportError:
    osm = os

class I:
    def __index__(self):
        junk = [str(i) * 3 for i in range(60)]
        return 0o755

base = '/tmp/stmvm_mkdir_moving_' + str(os.getpid())
for n in range(3):
    osm.mkdir(mode=I(), path=base + '_' + str(n))
    print(os.path.isdir(base + '_' + str(n)))
    os.rmdir(base + '_' + str(n))
