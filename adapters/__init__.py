"""The plug-in library: training methods become xAPI statements (built in a later issue)."""
