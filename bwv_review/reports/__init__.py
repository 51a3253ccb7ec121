"""PDF, CSV and XLSX outputs built with reportlab and openpyxl."""
