"""Personal data: redaction of updates and files, retention, a person's data on request
(`person_data`) and forgetting a person."""
