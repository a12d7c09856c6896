import sys
n = sys.stdout.write("hello ")
sys.stdout.write("world\n")
print(n)
sys.stdout.write(str(42) + "\n")
sys.stdout.flush()
