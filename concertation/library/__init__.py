"""The library of territorial AI: tools in service in the territories, and the retours of those who use them too."""
