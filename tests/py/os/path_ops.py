import os.path
print(os.path.join("a", "b", "c.txt"), os.path.join("/abs", "x"), os.path.join("a", "/root"), os.path.join("a/", "b"))
print(os.path.basename("/x/y/z.py"), os.path.dirname("/x/y/z.py"), os.path.basename("dir/"), os.path.dirname("file"))
print(os.path.splitext("arch.tar.gz"), os.path.split("/a/b/c"), os.path.isabs("/a"), os.path.isabs("a"), os.path.normpath("a/./b/../c"))
