d = {"key": "v"}
print(f"{d['key']}", f'{d["key"]}', f"{'a' if True else 'b'}", f"{(lambda x: x * 2)(4)}")
print(f"{', '.join(['x', 'y'])}", f"{len('abc'):03d}", f"""{"triple"}""")
