"""Report files in: which files, their text in any format, extraction in worker processes, the write."""
