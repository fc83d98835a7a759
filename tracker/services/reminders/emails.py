"""Writing reminder and digest emails: subject, text and HTML for the outbox."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template

from tracker.clock import local_date, long_date
from tracker.models import Action, Contact
from tracker.services.people.partner_links import partner_link_for
from tracker.services.reminders import daily
from tracker.services.reminders.policy import WEEKDAYS, Audience, DueReminder, Policy
from tracker.services.reminders.schedule import PlannedDigest, PlannedReminder, Recipient


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def action_label(action: Action) -> str:
    label = action.recommendation.full_name
    label = label[:1].upper() + label[1:]
    if action.title:
        title = action.title if len(action.title) <= 60 else action.title[:57].rstrip() + "..."
        label += f" ({title})"
    return label


def deadline_phrase(due_on: date, today: date) -> str:
    """'is due on 30 June 2026', 'is due today, 30 June 2026', 'was due on ... and is 9 days overdue'."""
    if today < due_on:
        return f"is due on {long_date(due_on)}"
    if today == due_on:
        return f"is due today, {long_date(due_on)}"
    return f"was due on {long_date(due_on)} and is {_days((today - due_on).days)} overdue"


def headline(action: Action, reminder: DueReminder, today: date) -> str:
    """The subject and first line: what is due, and when."""
    line = f"{action_label(action)} for {action.organisation.name} {deadline_phrase(action.due_on, today)}"
    if reminder.kind == "escalation":
        return f"Escalation: {line}"
    if reminder.kind == "nudge":
        quiet = (today - local_date(action.last_update_at or action.created_at)).days
        return f"{line}: no update for {_days(quiet)}"
    return line


def _quoted_list(names: tuple[str, ...]) -> str:
    quoted = [f"\u201c{name}\u201d" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _links(action: Action, recipient: Recipient) -> dict:
    base = current_app.config["BASE_URL"]
    link = partner_link(action, recipient.contact)
    return {
        # A partner without an account cannot sign in: "See the action" opens their partner page.
        "action_url": link or f"{base}/actions/{action.id}",
        "partner_link": link,
        "settings_url": f"{base}/account/notifications" if recipient.contact.user_id else None,
    }


def partner_link(action: Action, contact: Contact) -> str | None:
    """A signed link that lets a partner without an account update the action (None for people
    who sign in)."""
    return partner_link_for(action, contact)


def why_you_get_it(action: Action, reminder: DueReminder, recipient: Recipient, policy: Policy) -> str:
    organisation = action.organisation.name
    if reminder.audience is Audience.BOARD_CHAIR:
        return (
            f"You hold the role {_quoted_list(recipient.roles)} in {organisation}, and actions more than "
            f"{_days(policy.escalate_after_days_overdue)} overdue are escalated to the board chair."
        )
    return f"You hold the role {_quoted_list(recipient.roles)} in {organisation}, which owns this action."


def what_to_do(action: Action, reminder: DueReminder, today: date, policy: Policy) -> str:
    if reminder.kind == "escalation":
        owners = (
            "; ".join(
                f"{role.name} ({role.holder.name})" if role.holder else f"{role.name} (no holder)"
                for role in action.owner_roles
            )
            or "no owner"
        )
        return (
            f"It is {_days((today - action.due_on).days)} overdue. Its owner is {owners}. "
            "Please raise it with them or at the next board meeting."
        )
    if reminder.kind == "nudge":
        return "There has been no update for a while. Please post a short update so the board can see progress."
    if today > action.due_on:
        return "Please post an update, mark it completed with evidence, or ask the board for more time."
    if today == action.due_on:
        return "The deadline is today. Please post an update or mark it completed with evidence."
    return f"The deadline is in {_days((action.due_on - today).days)}. Please keep its progress up to date."


def render_reminder(email: PlannedReminder, today: date) -> dict:
    """The outbox row for one reminder: subject, text and HTML bodies, and where it goes."""
    action, reminder = email.action, email.reminder
    subject = headline(action, reminder, today)
    context = dict(
        subject=subject,
        action=action,
        greeting=daily.greeting(email.recipient.contact),
        due_on=long_date(action.due_on),
        original_due_on=long_date(action.original_due_on) if action.original_due_on != action.due_on else None,
        last_update_on=long_date(local_date(action.last_update_at)) if action.last_update_at else None,
        owners="; ".join(role.name for role in action.owner_roles),
        what_to_do=what_to_do(action, reminder, today, email.policy),
        why=why_you_get_it(action, reminder, email.recipient, email.policy),
        organisation_name=action.organisation.name,
        service_name=current_app.config["SERVICE_NAME"],
        **_links(action, email.recipient),
    )
    return dict(
        key=email.key,
        organisation_id=action.organisation_id,
        action_id=action.id,
        kind=reminder.kind,
        target_date=reminder.target_date,
        recipient=email.recipient.email,
        subject=subject[:300],
        body_text=render_template("emails/reminder.txt", **context),
        body_html=render_template("emails/reminder.html", **context),
    )


def render_digest(email: PlannedDigest, today: date) -> dict:
    items = sorted(email.items, key=lambda item: (item[0].due_on, item[0].id, item[1].kind))
    overdue = {action.id for action, _ in items if action.due_on < today}
    upcoming = sorted({action.id: action.due_on for action, _ in items if action.due_on >= today}.values())
    parts = []
    if overdue:
        parts.append(f"{len(overdue)} overdue")
    if upcoming:
        parts.append(f"{len(upcoming)} due, the next on {long_date(upcoming[0])}")
    subject = f"Your weekly summary for {email.organisation.name}: {', '.join(parts)}"
    lines = [
        dict(headline=headline(action, reminder, today), action=action, **_links(action, email.recipient))
        for action, reminder in items
    ]
    base = current_app.config["BASE_URL"]
    context = dict(
        subject=subject,
        lines=lines,
        greeting=daily.greeting(email.recipient.contact),
        organisation_name=email.organisation.name,
        weekday=WEEKDAYS[email.recipient.digest_weekday],
        settings_url=f"{base}/account/notifications",
        service_name=current_app.config["SERVICE_NAME"],
    )
    return dict(
        key=email.key,
        organisation_id=email.organisation.id,
        action_id=None,
        kind="digest",
        target_date=email.target_date,
        recipient=email.recipient.email,
        subject=subject[:300],
        body_text=render_template("emails/digest.txt", **context),
        body_html=render_template("emails/digest.html", **context),
    )


# --- One person's day in one email (see services/reminders/daily.py) -----------------------------------

SECTIONS = (
    ("overdue", "Overdue"),
    ("due", "Due soon"),
    ("nudge", "No update for a while"),
    ("escalation", "Escalated to you as chair of the board"),
)


def _section(planned: PlannedReminder, today: date) -> str:
    kind = planned.reminder.kind
    if kind in ("escalation", "nudge"):
        return kind
    return "overdue" if planned.action.due_on < today else "due"


def _report_label(items: list[PlannedReminder]) -> str:
    reports = {planned.action.recommendation.report.id: planned.action.recommendation.report for planned in items}
    organisations = sorted({planned.action.organisation.name for planned in items})
    where = organisations[0] if len(organisations) == 1 else f"{len(organisations)} organisations"
    if len(reports) == 1:
        return f"{where}, {next(iter(reports.values())).short_name}"
    return f"{where}, {len(reports)} reports"


HANDOFF_PHRASES = {
    "board": ("decision waiting for the board", "decisions waiting for the board"),
    "signed_off": ("signed off by the board", "signed off by the board"),
    "unheard": ("warning: actions nobody will be reminded about", "warnings: actions nobody will be reminded about"),
}


def _handoff_sections(bundle: daily.PlannedBundle) -> tuple[list, list[str]]:
    """The hand-offs carried by the day's email, by section, and the subject's words for them."""
    by_section: dict[str, tuple[str, list]] = {}
    for handoff in bundle.handoffs:
        by_section.setdefault(handoff.section, (handoff.section_title, []))[1].append(
            dict(headline=handoff.headline, detail=handoff.detail, url=handoff.url)
        )
    parts = []
    for section, (_, lines) in by_section.items():
        one, several = HANDOFF_PHRASES[section]
        parts.append(f"{len(lines)} {one if len(lines) == 1 else several}")
    return list(by_section.values()), parts


def render_bundle(bundle: daily.PlannedBundle, today: date) -> dict:
    """The outbox row for one person's day: subject, text and HTML bodies."""
    items = sorted(bundle.items, key=lambda planned: (planned.action.due_on, planned.action.id, planned.reminder.kind))
    sections: dict[str, list[dict]] = {name: [] for name, _ in SECTIONS}
    for planned in items:
        sections[_section(planned, today)].append(
            dict(
                headline=headline(planned.action, planned.reminder, today),
                action=planned.action,
                **_links(planned.action, bundle.recipient),
            )
        )
    owned = {planned.action.id for planned in items if planned.reminder.kind != "escalation"}
    overdue = {planned.action.id for planned in items if planned.action.due_on < today}
    escalated = len(sections["escalation"])
    label = _report_label(items) if items else bundle.organisation.name
    handoff_sections, parts = _handoff_sections(bundle)
    if owned:
        parts.append(f"{len(owned)} action{'s' if len(owned) != 1 else ''} for you")
    if overdue:
        parts.append(f"{len(overdue)} {'already ' if bundle.first_run else ''}overdue")
    if escalated:
        parts.append(f"{escalated} escalated to you")
    subject = f"{'New actions' if bundle.first_run else 'Today'} from {label}: {', '.join(parts)}"
    base = current_app.config["BASE_URL"]
    context = dict(
        subject=subject,
        greeting=daily.greeting(bundle.recipient.contact),
        first_run=bundle.first_run,
        sections=[(title, sections[name]) for name, title in SECTIONS if sections[name]],
        handoff_sections=handoff_sections,
        roles=bundle.recipient.roles,
        owned=len(owned),
        overdue=len(overdue),
        settings_url=f"{base}/account/notifications" if bundle.recipient.contact.user_id else None,
        service_name=current_app.config["SERVICE_NAME"],
    )
    return dict(
        key=bundle.key,
        organisation_id=bundle.organisation.id,
        action_id=None,
        kind="summary" if bundle.first_run else "daily",
        target_date=bundle.target_date,
        recipient=bundle.recipient.email,
        subject=subject[:300],
        body_text=render_template("emails/bundle.txt", **context),
        body_html=render_template("emails/bundle.html", **context),
    )
