"""Renderers: each turns an assembled :class:`~redaktion.model.Draft` into one kind of output."""
