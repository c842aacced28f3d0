"""The rules: status on a reporting date, which plans and period a command is about, carry-forward, changes."""
