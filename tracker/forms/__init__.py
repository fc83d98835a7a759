"""WTForms, one module per area, rendered with GOV.UK Frontend widgets."""
