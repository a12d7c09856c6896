import os
print(os.path.exists("path_exists.py"), os.path.exists("no_such_file.xyz"), os.path.isfile("path_exists.py"), os.path.isdir("."), os.path.isdir("path_exists.py"))
print(os.path.basename(os.getcwd()), os.sep, "path_exists.py" in os.listdir("."))
