s = "filename.tar.gz"
print(s.startswith("file"), s.startswith("name"), s.endswith(".gz"), s.endswith((".zip", ".gz")))
print(s.startswith("name", 4), s.endswith("tar", 0, 12), "".startswith(""), s.startswith(("a", "f")))
