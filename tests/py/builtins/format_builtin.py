print(format(3.14159, ".2f"), format(42, "x"), format("s", "^5"), format(1234567, ","), format(0.5, ".0%"), repr(format(5, "")))
