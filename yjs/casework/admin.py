"""Casework is not in Django admin, on purpose.

Every model here holds a child's personal data. Admin would let a superuser read children they
have no role for and change records without the services layer's rules and audit; changes go
through yjs/casework/services.py, reads through the audited pages.
"""
