print("pkg_helper init")
NAME = "pkg"
