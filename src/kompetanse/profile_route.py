"""The product's xAPI Profile, served at its IRI and at its version's IRI.

The profile ships with the adapters (`adapters/profile/kompetanse.jsonld`); its IRI is
``https://kompetanse.nav.no/xapi/profile``, so this server answers ``GET /xapi/profile``
(and ``/xapi/profile/v1``) with the JSON-LD document. No credentials: it is public vocabulary.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Response

from adapters.profile import MEDIA_TYPE, PROFILE, PROFILE_VERSION, profile_text

router = APIRouter(tags=["xAPI Profile"])


@router.get(urlsplit(PROFILE).path)
@router.get(urlsplit(PROFILE_VERSION).path)
async def xapi_profile() -> Response:
    """The xAPI Profile (JSON-LD) of the training methods."""
    return Response(
        profile_text(),
        media_type=MEDIA_TYPE,
        headers={"Cache-Control": "public, max-age=3600"},
    )
