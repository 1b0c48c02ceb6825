import BuildtrailKit; print("hi")
