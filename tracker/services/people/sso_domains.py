"""Which organisation each email domain's single sign-on accounts belong to.

A domain belongs to at most one organisation (a unique constraint on `sso_domains.domain`), and
only a system administrator (the system page or `flask tracker set-sso-domains`) sets them, so
no organisation's admin can claim another organisation's staff.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.models import Organisation, SsoDomain
from tracker.services import ServiceError, audit
from tracker.services.audit import Actor
from tracker.services.people.email_addresses import normalise_email


def parse_domains(text: str | list[str]) -> list[str]:
    """Domains from what a person typed ("Leicester.gov.uk, @nhs.net"): lower case, no "@",
    each checked to be an email domain, sorted and without repeats."""
    parts = text if isinstance(text, list) else [text]
    domains = sorted(
        {
            part.strip().lower().lstrip("@")
            for chunk in parts
            for part in chunk.replace(",", " ").split()
            if part.strip()
        }
    )
    for domain in domains:
        try:
            normalise_email(f"name@{domain}")
        except ServiceError:
            raise ServiceError(f"{domain} is not an email domain, like leicester.gov.uk", field="domains") from None
    return domains


def organisation_for_domain(domain: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).join(SsoDomain).where(SsoDomain.domain == domain.lower()))


def set_domains(organisation: Organisation, domains: list[str], *, actor: Actor) -> bool:
    """Make `domains` (already parsed) the organisation's single sign-on domains. A domain
    another organisation holds is refused, naming it. Returns whether anything changed."""
    for domain in domains:
        holder = organisation_for_domain(domain)
        if holder is not None and holder.id != organisation.id:
            raise ServiceError(
                f"{domain} belongs to {holder.name}. A domain can belong to one organisation only: "
                f"take it off {holder.name} first.",
                field="domains",
            )
    before = organisation.sso_domain_names
    if before == domains:
        return False
    for entry in list(organisation.sso_domains):
        if entry.domain not in domains:
            organisation.sso_domains.remove(entry)
    db.session.flush()
    for domain in domains:
        if domain not in before:
            organisation.sso_domains.append(SsoDomain(domain=domain))
    try:
        db.session.flush()
    except IntegrityError:  # another administrator gave one of them away at the same moment
        raise ServiceError(
            "One of these domains was just given to another organisation. Look again and choose the domains once more.",
            field="domains",
        ) from None
    audit.record(
        "organisation.sso_domains_changed",
        organisation,
        actor=actor,
        organisation_id=organisation.id,
        before={"domains": before},
        after={"domains": domains},
    )
    return True
