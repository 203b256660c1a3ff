"""Turn document photos into validated scan results. Knows nothing of Telegram, Redis or SQL."""
