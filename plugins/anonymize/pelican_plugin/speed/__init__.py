"""Speed machinery. Each piece is optional (its own setting) and must give byte-identical output when off."""
