"""The document model: typed exercise documents, their loading, schema and importers."""
