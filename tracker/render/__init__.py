"""Turn the Site into pages and downloads: templates, urls, map, tables, exports, search parts."""
