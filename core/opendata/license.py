"""The licence of the open data: stated in every download and in the catalogue.

``DATA_LICENSE`` names it by its DCAT-AP.de id (default ``dl-de/by-2-0``, the Datenlizenz
Deutschland – Namensnennung – Version 2.0); ``DATA_LICENSE_NAME`` and ``DATA_LICENSE_URL``
override the name and the address of a known licence or describe another one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.config import Publisher
from core.dates import format_day


@dataclass(frozen=True)
class DataLicense:
    """A licence as the downloads and the catalogue state it."""

    id: str  # "dl-de/by-2-0"
    name: str  # "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    url: str  # the licence text for people
    uri: str  # the licence in DCAT-AP.de's vocabulary (dct:license), or the url
    attribution_required: bool  # a "by" licence: the source must be named

    def attribution(self, publisher: Publisher, cutoff: date) -> str:
        """The source note users copy: who, what, which edition, under which licence."""
        return (
            f"{publisher.name}: Nachhaltigkeitsreport, Stand {format_day(cutoff)}. "
            f"{self.name} ({self.url})"
        )

    def as_json(self, publisher: Publisher, cutoff: date) -> dict[str, str]:
        """The ``license`` object of the JSON export."""
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "attribution": self.attribution(publisher, cutoff),
        }


_DCATDE = "http://dcat-ap.de/def/licenses/"

#: Licences of DCAT-AP.de's vocabulary (http://dcat-ap.de/def/licenses/) a Kreis is likely to
#: use: id -> (name, url, vocabulary URI, attribution required).
KNOWN: dict[str, tuple[str, str, str, bool]] = {
    "dl-de/by-2-0": (
        "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "https://www.govdata.de/dl-de/by-2-0",
        _DCATDE + "dl-by-de/2.0",
        True,
    ),
    "dl-de/zero-2-0": (
        "Datenlizenz Deutschland – Zero – Version 2.0",
        "https://www.govdata.de/dl-de/zero-2-0",
        _DCATDE + "dl-zero-de/2.0",
        False,
    ),
    "cc-by-4.0": (
        "Creative Commons Namensnennung 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
        _DCATDE + "cc-by/4.0",
        True,
    ),
    "cc0-1.0": (
        "Creative Commons Zero 1.0 Universell",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        _DCATDE + "cc-zero",
        False,
    ),
}

DEFAULT_LICENSE = "dl-de/by-2-0"


def data_license(
    license_id: str = DEFAULT_LICENSE, *, name: str | None = None, url: str | None = None
) -> DataLicense:
    """The licence named ``license_id``; ``name`` and ``url`` override a known licence's and
    are needed for an unknown one (its URI is then its url)."""
    known = KNOWN.get(license_id)
    if known is None:
        return DataLicense(
            id=license_id,
            name=name or license_id,
            url=url or "",
            uri=url or "",
            attribution_required=True,
        )
    known_name, known_url, uri, by = known
    return DataLicense(
        id=license_id,
        name=name or known_name,
        url=url or known_url,
        uri=uri,
        attribution_required=by,
    )


@dataclass(frozen=True)
class OpenData:
    """What every download and the catalogue state beyond the data (from the settings)."""

    license: DataLicense = field(default_factory=data_license)
    site_url: str | None = None  # the website's public address; None: relative links
    contributor_id: str = "http://dcat-ap.de/def/contributors/openNRW"
    district_key: str = "05974"  # Kreis Soest
    contact_email: str | None = None
