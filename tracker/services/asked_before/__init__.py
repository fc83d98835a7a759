""" "Asked before": links from a recommendation to earlier ones of the same organisation
(`links`), the wording match behind the suggestions (`matching`, `measure`), and what the
action page, review screen, board pack, oversight table and themes show of them."""
