"""Writers for outside formats, one module each."""
