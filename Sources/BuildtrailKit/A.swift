import BuildStore
