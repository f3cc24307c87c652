"""Protocol-faithful local stand-ins for panels, providers and Telegram."""
