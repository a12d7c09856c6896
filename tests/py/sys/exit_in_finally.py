import sys
try:
    sys.exit(5)
except SystemExit as e:
    print("caught SystemExit", e.code, repr(e))
finally:
    print("finally")
try:
    sys.exit()
except SystemExit as e:
    print("code", e.code)
raise SystemExit(7)
