"""The editorial workflow: status overview, releases, versions and the Synopse between versions.

``status`` is as light as ``check`` (no renderer); ``release``, ``versions`` and ``synopse``
import pandoc, Typst and the renderers lazily, inside the functions that need them.
"""
