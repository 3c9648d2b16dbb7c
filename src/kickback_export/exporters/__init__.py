"""Built-in exporters; each is loaded through its entry point."""
