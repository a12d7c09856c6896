import io
buf = io.StringIO()
print("into", "buffer", file=buf, sep="|")
print(42, file=buf, end=";")
print(repr(buf.getvalue()))
