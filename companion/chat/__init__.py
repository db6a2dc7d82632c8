"""Conversation: what MusiaIA says back, with or without a language model."""
