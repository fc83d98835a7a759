"""People and access: organisations, members and roles (`organisations`, `members`), signing in
(`accounts`, `sso`, `sso_domains`, `throttling`), one-time links (`invitations`, `partner_links`),
the grants that reach past one organisation (`oversight_grants`) and the rule for an email
address (`email_addresses`)."""
