"""The portal's forms, one module per area beside the views that use them.

Forms parse input into types; the business rules live in the domain services. Problems a
service raises (DomainError) are put back on these forms' fields by
`lmn.web.errors.apply_problems`, so every error shows next to its field and in the summary.
"""
