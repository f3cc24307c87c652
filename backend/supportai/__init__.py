"""SupportAI: support automation for SMM panels."""
