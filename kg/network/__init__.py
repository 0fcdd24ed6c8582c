"""The graph as networkx views, and their analysis: centrality, communities, paths, similar bureaus."""
