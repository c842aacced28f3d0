"""`bvplan show | list | search`: find milestones and actions across plans."""
