"""dealbot's runtime: the platform-neutral core, the adapters, the CLI and the composition root."""
