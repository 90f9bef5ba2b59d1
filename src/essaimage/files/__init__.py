"""Files: what may be read or written (confinement), folders and globs (discovery, `.gitignore`
patterns), and the output folder (atomic writes, manifests, foreign files). Imports `text`."""
