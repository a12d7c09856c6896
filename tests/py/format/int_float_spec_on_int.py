print(f"{5:f}|{5:.2e}|{5:%}|{5:g}|{10**20:e}")
try:
    f"{5.0:d}"
except ValueError as e:
    print("ValueError:", e)
