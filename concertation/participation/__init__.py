"""Who took part: participants' optional profiles, territories' population, and the comparison of the two."""
