"""Text as French prints it: numbers, amounts and dates, names with their article, typography,
words compared and slugs, Markdown re-emitted from its syntax tree, the one link policy, CSV cells
that are never formulas, and the escapes of what is shown (terminal lines, names, findings'
texts). The bottom of the layers: imports nothing of essaimage."""
