"""The planner: sweeps of scenario keys over simulated programmes (`matcher plan`)."""
