"""Documents: the Jinja environments (the package's templates, a repository's in a sandbox),
what templates see, the sentences both kit views share, a kit's and a plan's files, PDF and
office documents. Imports `plan` and below."""
