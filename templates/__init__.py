"""bvplan's own report templates; they ship in the wheel as the package `bvplan.templates`."""
