"""Files: what may be read or written (confinement), folders, globs and `.gitignore` patterns
(discovery), paths as users see them, the output folder (atomic writes through directory
descriptors) and its manifests. Imports `errors` and `text`."""
