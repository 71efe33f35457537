"""Organisations and their staff; the aging policy and reminder settings an organisation holds."""
