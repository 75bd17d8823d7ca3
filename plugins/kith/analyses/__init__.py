"""What kith works out from the network: follow-ups, favors, diversity, the graph,
backlinks, and ``Site``, the published network with its lookups."""
