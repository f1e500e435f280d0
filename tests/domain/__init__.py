"""Domain tests: the Planner and the planner package, plain Python, no server."""
