"""Board review and oversight: the summary a board reads (`summary`), the board pack (`pack`,
`evidence_pack`), meetings and their decisions (`meetings`, `decisions`), themes (`themes`,
`theme_tags`) and the comparison of organisations for oversight bodies (`oversight`)."""
