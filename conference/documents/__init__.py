"""The conference's printed documents: the delegates' badges and the funder's participants'
lists (PDF through Typst, tagged PDF/UA-1; XLSX through core.spreadsheets)."""
