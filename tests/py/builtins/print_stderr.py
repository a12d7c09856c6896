import sys
print("to stdout")
print("to stderr", file=sys.stderr)
print("stdout again")
sys.stderr.write("direct stderr\n")
print("end", flush=True)
