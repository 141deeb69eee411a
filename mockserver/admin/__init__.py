"""The mock's control plane under /__admin."""
