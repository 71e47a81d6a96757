"""Everything Anki: note types, GUIDs and card keys, HTML for Anki's web view, the `.apkg` export, and
reading reviews back from a package. The official `anki` library is imported only when one of these
runs, so the rest of hcflash starts without it."""
