"""Helping members contribute: ``redaktion new`` (a filled-in template) and ``redaktion import``
(a Word or LibreOffice document turned into a contribution). Nothing here prints; the CLI does.
"""
