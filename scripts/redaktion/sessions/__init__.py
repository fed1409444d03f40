"""Sessions (Sitzungen) of the circle: model, minutes syntax, loading, checks and overviews."""
