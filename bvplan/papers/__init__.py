"""The papers and outputs: the board paper's content, its rendering through Jinja, charts and status views."""
