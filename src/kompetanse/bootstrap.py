"""Credentials at start: the bootstrap credential, or a first one on an empty store."""

from __future__ import annotations

from kompetanse.settings import Settings
from lrs.auth import CredentialStore


async def ensure_credentials(store: CredentialStore, settings: Settings) -> None:
    """Ensure KOMPETANSE_BOOTSTRAP_KEY/SECRET exists with scope `all`; else, on an empty
    store, create a first credential and print how to use it."""
    if settings.bootstrap_key and settings.bootstrap_secret:
        await store.add(
            scopes=["all"],
            key=settings.bootstrap_key,
            secret=settings.bootstrap_secret.get_secret_value(),
            label="bootstrap",
        )
        return
    if await store.count():
        return
    credential, secret = await store.add(scopes=["all"], label="first credential")
    url = f"http://{settings.host}:{settings.port}/xapi"
    print(
        "\nNo credentials existed, so one was created (scope: all). Keep the secret; it is "
        "not shown again.\n"
        f"  key:    {credential.key}\n  secret: {secret}\n"
        f"  try:    curl -u '{credential.key}:{secret}' -H 'X-Experience-API-Version: 1.0.3' "
        f"{url}/statements\n"
        "  more:   kompetanse credentials add --scope statements/write --label my-platform\n",
        flush=True,
    )
