"""MAS Studio trainer: consumes a RunSpec, writes a run directory (DESIGN.md §3-§4)."""
