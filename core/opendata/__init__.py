"""Open data: the licence of every download, formula-safe cells, the XLSX workbook, the JSON
Schema of the JSON export and the DCAT-AP.de catalogue of the website's editions.

Nothing here is imported by ``nhr --help``: openpyxl and rdflib load only when a workbook or a
catalogue is written.
"""
