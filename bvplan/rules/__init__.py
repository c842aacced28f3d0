"""The rules: status on a reporting date, the public view, which plans and period a command is about, carry-forward, changes."""
