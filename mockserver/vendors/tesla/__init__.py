"""TeSLA CE REST API v2 (docs/tesla.md): a Django REST framework server with Vault-style JWTs."""
