"""The xAPI Learning Record Store.

`lrs.model` (pure pydantic) is what the light install and the adapters use; `lrs.store`,
`lrs.auth` and `lrs.api` need the `[server]` extra. Importing this package imports nothing heavy.
"""
