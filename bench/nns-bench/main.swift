import NNEngine

print("usage: nns-bench <benchmark>")
