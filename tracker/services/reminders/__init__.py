"""Reminders and the day's email: what is due and to whom (`schedule`, `policy`), writing it
(`emails`), one email a day per person (`daily`), a run from start to finish (`run`), actions
nobody will hear about (`unheard`) and private calendar feeds (`calendar`). Emails leave through
`tracker.services.outbox`."""
