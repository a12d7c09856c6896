s = "é\n"
print(f"{s!r}", f"{s!a}", f"{'x'!r:>6}", f"{3!s:>4}|")
