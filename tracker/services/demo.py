"""Demo data: one believable youth offending service for trying the tracker, and many
synthetic ones for benchmarks. The report text is invented for the demo."""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from tracker.extensions import db
from tracker.importing import parse_report
from tracker.models import (
    AccessLevel,
    Action,
    ActionOwner,
    Contact,
    Membership,
    Organisation,
    Recommendation,
    Report,
    Role,
    Status,
    Update,
    User,
    utc_now,
)
from tracker.services.actions import post_update
from tracker.services.deadlines import add_months
from tracker.services.imports.saving import import_report
from tracker.services.people import organisations, oversight_grants

DEMO_ACTOR = "demo data"
DEMO_SLUG = "northfield-yos"
DEMO_USERS = {
    "manager": ("manager@northfield.example", "Priya Shah", AccessLevel.MANAGER),
    "board": ("board.chair@northfield.example", "Tom Okafor", AccessLevel.BOARD),
    "owner": ("head.of.service@northfield.example", "Sarah Jones", AccessLevel.OWNER),
    "admin": ("admin@northfield.example", "Alex Morgan", AccessLevel.ADMIN),
}
# Not members of any organisation: a reader for an oversight body, with a grant over the demo
# organisations, and a system administrator (who gives such grants).
DEMO_OVERSIGHT = ("oversight@region.example", "Olu Adeyemi", "Northern Region Youth Justice Partnership")
DEMO_SYSTEM_ADMIN = ("system.admin@tracker.example", "Sam Reid")


def demo_report_text(published: date) -> str:
    """An invented report in the layout HM Inspectorate of Probation used in 2016."""
    month = published.strftime("%B %Y")
    return f"""Full Joint Inspection of Youth Offending Work in Northfield

An inspection led by HMI Probation

Foreword

This inspection looked at the work of Northfield Youth Offending Service (YOS). We found committed staff and
some good work with children, but the Board needs a clearer view of how partners contribute.

HM Chief Inspector of Probation

{month}

Recommendations

Post-inspection improvement work should focus particularly on achieving the following outcomes within 12 months following publication of this report:

The Chair of the YOS Management Board should ensure that:

1. every statutory partner sends a senior member to Board meetings and reports on what their agency has done to reduce offending by children
2. the Board receives quarterly information on the education, training and employment of children known to the YOS and acts on it
3. the YOS and children's social care agree how they will jointly manage children who are also subject to a child protection plan.

The YOS Head of Service should ensure that:

4. managers check that plans to manage risk of harm to others are reviewed whenever a child's circumstances change
5. children have their speech, language and communication needs assessed early, and their plans show how these needs are met.

Contents

Foreword	1
Recommendations	3
"""


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count(Organisation.id))) == 0


def seed(
    *,
    organisations: int,
    reports: int,
    actions_per_report: int,
    password: str,
    today: date,
    updates_per_action: int = 5,
) -> str:
    """Create the demo organisation (always) and, for benchmarks, further synthetic ones."""
    existing = set(db.session.scalars(select(Organisation.id)))
    seed_demo_organisation(password=password, today=today)
    if organisations > 1:
        seed_synthetic(
            organisations=organisations - 1,
            reports=reports,
            actions_per_report=actions_per_report,
            updates_per_action=updates_per_action,
            today=today,
            password=password,
        )
    db.session.flush()
    seeded = [
        organisation
        for organisation in db.session.scalars(select(Organisation).order_by(Organisation.id))
        if organisation.id not in existing
    ]
    seed_people_beyond_organisations(seeded, password=password)
    counts = {
        label: db.session.scalar(select(func.count(model.id)))
        for label, model in (
            ("organisations", Organisation),
            ("reports", Report),
            ("actions", Action),
            ("updates", Update),
        )
    }
    return "Demo data loaded: " + ", ".join(f"{count:,} {label}" for label, count in counts.items()) + "."


def seed_demo_organisation(*, password: str, today: date) -> Organisation:
    organisation = db.session.scalar(select(Organisation).filter_by(slug=DEMO_SLUG))
    if organisation is not None:
        for email, _, _ in DEMO_USERS.values():
            user = organisations.user_by_email(email)
            if user is not None:
                user.set_password(password)
        return organisation
    organisation = organisations.create_organisation(DEMO_SLUG, "Northfield Youth Offending Service", actor=DEMO_ACTOR)
    users: dict[str, User] = {}
    for key, (email, name, access) in DEMO_USERS.items():
        users[key] = organisations.add_user(
            email, organisation=organisation, access=access, name=name, password=password, actor=DEMO_ACTOR
        )
    # Published ten months ago, so deadlines fall due within the next few months.
    published = add_months(today, -10)
    text = demo_report_text(published)
    report = import_report(
        organisation,
        parse_report(text),
        source=text.encode(),
        filename="northfield-full-joint-inspection.txt",
        actor=DEMO_ACTOR,
        published=published,
    )
    board_chair = organisations.set_role_holder(
        organisation, "Chair of the YOS Management Board", users["board"].email, actor=DEMO_ACTOR
    )
    board_chair.is_board_chair = True
    organisations.set_role_holder(organisation, "YOS Head of Service", users["owner"].email, actor=DEMO_ACTOR)
    actions = [action for recommendation in report.recommendations for action in recommendation.actions]
    post_update(
        actions[0],
        author=users["board"],
        new_status=Status.IN_PROGRESS,
        expected_version=actions[0].version,
        note="Police, health and education have each named a senior member for the Board.",
    )
    post_update(
        actions[3],
        author=users["owner"],
        new_status=Status.IN_PROGRESS,
        expected_version=actions[3].version,
        note="New risk review checklist agreed with team managers; first audit due next month.",
    )
    return organisation


def seed_people_beyond_organisations(seeded: list[Organisation], *, password: str) -> None:
    """The demo's oversight reader (a grant over the organisations just seeded) and its system
    administrator. Seeding again only resets their passwords, like the other demo users."""
    email, name, body = DEMO_OVERSIGHT
    reader = oversight_grants.account_for(email, actor=DEMO_ACTOR, name=name, password=password)
    if seeded and not oversight_grants.active_grants_of(reader):
        oversight_grants.grant(reader, body=body, organisations=seeded, actor=DEMO_ACTOR)
    email, name = DEMO_SYSTEM_ADMIN
    administrator = oversight_grants.account_for(email, actor=DEMO_ACTOR, name=name, password=password)
    oversight_grants.set_system_admin(administrator, True, actor=DEMO_ACTOR)


SYNTHETIC_ROLES = ("Chair of the YOS Management Board", "YOS Head of Service", "Director of Children's Services")
SYNTHETIC_NOTES = (
    "Discussed at the team meeting; actions agreed with partners.",
    "Audit of twenty cases completed; findings shared with managers.",
    "Training delivered to case managers; follow-up dip sample booked.",
    "New protocol agreed with the police and children's social care.",
    "Board received the quarterly report and asked for more detail on education outcomes.",
)


def seed_synthetic(
    *, organisations: int, reports: int, actions_per_report: int, updates_per_action: int, today: date, password: str
) -> None:
    """Bulk-insert synthetic organisations for load tests: each with roles held by its own
    manager (manager@service-NNNN.example, the demo password), reports, actions and updates.

    Rows go in with one multi-row INSERT per table per organisation, so national scale
    (150 organisations, 100,000 actions, 500,000 updates) loads in well under a minute.
    """
    from werkzeug.security import generate_password_hash

    password_hash = generate_password_hash(password)  # one hash shared by every synthetic manager
    existing = db.session.execute(select(func.count(Organisation.id))).scalar_one()
    rng = random.Random(20261123)  # the same data every run, so benchmarks compare like with like
    for index in range(existing + 1, existing + 1 + organisations):
        slug = f"service-{index:04d}"
        organisation = Organisation(slug=slug, name=f"Service {index:04d} Youth Justice Service")
        manager = User(
            email=f"manager@{slug}.example",
            name=f"Manager of service {index:04d}",
            password_hash=password_hash,
            session_token=secrets.token_hex(16),
        )
        db.session.add_all([organisation, manager])
        db.session.flush()
        db.session.add(Membership(user=manager, organisation=organisation, access_level=AccessLevel.MANAGER))
        contact = Contact(organisation=organisation, email=manager.email, name=manager.name, user=manager)
        roles = [
            Role(organisation=organisation, name=name, is_board_chair=name.startswith("Chair"), holder=contact)
            for name in SYNTHETIC_ROLES
        ]
        db.session.add_all(roles)
        db.session.flush()
        _insert_reports(
            organisation.id,
            [role.id for role in roles],
            manager.id,
            reports,
            actions_per_report,
            updates_per_action,
            today,
            rng,
        )


def _plausible_status(due: date, today: date, rng: random.Random) -> Status:
    """Like a real service: most actions well past their deadline are done, a few still open."""
    days_left = (due - today).days
    if days_left < -60:
        return rng.choices(
            [Status.VERIFIED, Status.COMPLETED, Status.IN_PROGRESS, Status.WITHDRAWN], weights=[70, 15, 12, 3]
        )[0]
    if days_left < 90:
        return rng.choices([Status.COMPLETED, Status.IN_PROGRESS, Status.NOT_STARTED], weights=[35, 55, 10])[0]
    return rng.choices([Status.IN_PROGRESS, Status.NOT_STARTED, Status.COMPLETED], weights=[55, 35, 10])[0]


def _insert(model, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    return list(db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _insert_reports(
    organisation_id: int,
    role_ids: list[int],
    author_id: int,
    count: int,
    actions_per_report: int,
    updates_per_action: int,
    today: date,
    rng: random.Random,
) -> None:
    now = utc_now()
    published = [today - timedelta(days=rng.randint(30, 900)) for _ in range(count)]
    report_ids = _insert(
        Report,
        [
            dict(
                organisation_id=organisation_id,
                title=f"Inspection {number + 1}",
                service_name=None,
                inspectorate="HM Inspectorate of Probation",
                inspection_type="Inspection of youth offending services",
                publication_date=day,
                publication_date_confirmed=True,
                ratings={},
                extracted_text="",
                imported_at=now,
            )
            for number, day in enumerate(published)
        ],
    )
    recommendation_ids = _insert(
        Recommendation,
        [
            dict(
                report_id=report_id,
                position=position,
                number=str(position),
                owner_phrases=[],
                owner_source="none",
                text=f"Synthetic recommendation {position}: {rng.choice(SYNTHETIC_NOTES)}",
            )
            for report_id in report_ids
            for position in range(1, actions_per_report + 1)
        ],
    )
    due_dates = [add_months(day, 12) for day in published for _ in range(actions_per_report)]
    action_rows = [
        dict(
            organisation_id=organisation_id,
            recommendation_id=recommendation_id,
            original_due_on=due,
            due_on=due,
            status=_plausible_status(due, today, rng),
            version=1 + updates_per_action,
            created_at=now,
            last_update_at=now,
        )
        for recommendation_id, due in zip(recommendation_ids, due_dates, strict=True)
    ]
    action_ids = _insert(Action, action_rows)
    db.session.execute(
        insert(ActionOwner),
        [
            dict(action_id=action_id, role_id=role_ids[position % len(role_ids)], is_lead=True)
            for position, action_id in enumerate(action_ids)
        ],
    )
    update_rows = [
        dict(
            action_id=action_id,
            author_id=author_id,
            created_at=now - timedelta(days=7 * (updates_per_action - n)),
            note=rng.choice(SYNTHETIC_NOTES),
            status_before=Status.IN_PROGRESS,
            status_after=Status.IN_PROGRESS,
            links=[],
        )
        for action_id in action_ids
        for n in range(updates_per_action)
    ]
    for start in range(0, len(update_rows), 5000):
        db.session.execute(insert(Update), update_rows[start : start + 5000])


def sign_in_details(password: str) -> str:
    lines = ["Demo sign-in details (password for every demo user: " + password + "):"]
    for email, name, access in DEMO_USERS.values():
        lines.append(f"  {access.label:<22} {email}  ({name})")
    email, name, body = DEMO_OVERSIGHT
    lines.append(f"  {'Oversight (read only)':<22} {email}  ({name}, for the {body})")
    email, name = DEMO_SYSTEM_ADMIN
    lines.append(f"  {'System administrator':<22} {email}  ({name}: oversight grants, single sign-on domains)")
    return "\n".join(lines) + "\n"
