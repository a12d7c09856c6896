import sys
for i in range(3):
    print("line", i)
sys.stderr.write("error output\n")
sys.exit(2)
