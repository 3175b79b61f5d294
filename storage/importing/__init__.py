"""Moving a team in from its spreadsheet: customers and deals read from CSV or .xlsx, matched against
the book and the other rows, and written through the services in one transaction."""
