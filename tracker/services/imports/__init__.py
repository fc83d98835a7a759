"""Imports, from upload to save: the uploaded file staged and read (`staging`, `parsed_uploads`),
the review screen's edits and checks (`review`, `review_*`), saving a report (`saving`) and
correcting it later (`corrections`); existing plans from spreadsheets (`plan_import`,
`plan_matching`) and back out (`plan_export`)."""
