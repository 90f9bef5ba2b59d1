"""Text as French prints it: numbers, amounts and dates, names with their article, typography,
Markdown re-emitted from its syntax tree, the one link policy, CSV cells and terminal lines that
cannot carry controls. Imports nothing of essaimage but `errors` and `findings`."""
