"""Platform-neutral kernel: messages, replies, routing, dispatch. Imports nothing from the project."""
