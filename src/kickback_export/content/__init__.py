"""Words: a document in reading order, phrases in the reader's language, the spoken timeline."""
