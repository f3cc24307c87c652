"""HTTP plumbing shared by every domain area: auth, errors, logging, paging."""
