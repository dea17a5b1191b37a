"""Built-in scenarios (TOML): custodial, transitional, milieu."""
