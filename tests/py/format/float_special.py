for v in (float("inf"), float("-inf"), float("nan")):
    print(f"{v}|{v:f}|{v:.2e}|{v:g}|{v:10}|{v:+}|{v:F}|{v:E}")
