"""The prescriber portal's views, one module per page group."""
